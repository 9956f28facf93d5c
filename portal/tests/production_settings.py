"""Load portal.settings.production under a given environment, for tests that check what it sets.

The modules are imported afresh each time (they read the environment at import) and dropped again,
so the settings the tests run under are not touched.
"""

import importlib
import sys

REQUIRED = {"SECRET_KEY": "test-production-key-" + "x" * 40, "ALLOWED_HOSTS": "portal.example.org"}
NAMES = ("portal.settings.base", "portal.settings.production")


def load(monkeypatch, **env):
    for key, value in {**REQUIRED, **env}.items():
        monkeypatch.setenv(key, value)
    saved = {name: sys.modules.pop(name, None) for name in NAMES}
    try:
        return importlib.import_module(NAMES[-1])
    finally:
        for name, module in saved.items():
            sys.modules.pop(name, None)
            if module is not None:
                sys.modules[name] = module
