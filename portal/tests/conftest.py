"""The commission's groups, workflow and one user per role, shared by the moderation and publication-rule tests."""

from portal.tests.test_moderation import moderation, people  # noqa: F401 - fixtures defined there
