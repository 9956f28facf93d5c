"""Factories for the content model: published pages by default, with real taxonomy rows."""

import datetime
import itertools

import factory
import wagtail_factories
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Locale

from cases.models import CaseIndexPage, CaseSource, CaseStudyPage, Country, Tactic
from guides.models import GuideIndexPage, GuidePage


class CaseStudyPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Case study {n}")
    slug = factory.Sequence(lambda n: f"case-study-{n}")
    summary = factory.LazyAttribute(lambda o: f"Summary of {o.title}.")
    first_seen = datetime.date(2019, 1, 1)
    first_seen_precision = "month"
    last_seen = datetime.date(2019, 6, 1)
    last_seen_precision = "month"
    origin = "foreign"
    attribution_status = "independent"
    attribution_confidence = "medium"

    class Meta:
        model = CaseStudyPage

    @factory.post_generation
    def countries(self, create, codes, **kwargs):
        if codes:
            self.countries = list(Country.objects.filter(code__in=codes))

    @factory.post_generation
    def tactics(self, create, slugs, **kwargs):
        if slugs:
            self.tactics = list(Tactic.objects.filter(slug__in=slugs))


def make_case(parent=None, *, countries=("KE",), tactics=(), actors=(), sources=2, publish=True, **fields):
    """A case under the catalogue, with real countries, tactics and sources; published unless told not."""
    parent = parent or CaseIndexPage.objects.get(locale=Locale.get_default())
    page = CaseStudyPageFactory.build(**fields)
    page.live = publish
    page.countries = list(Country.objects.filter(code__in=countries))
    page.tactics = list(Tactic.objects.filter(slug__in=tactics))
    page.actors = list(actors)
    page.sources = [
        CaseSource(
            sort_order=i,
            publisher=f"Publisher {i + 1}",
            title=f"Report {i + 1} on {page.title}",
            url=f"https://example.org/{page.slug}/{i + 1}",
            kind="research",
        )
        for i in range(sources)
    ]
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


_guide_numbers = itertools.count(1)


def make_guide(parent=None, *, publish=True, **fields):
    parent = parent or GuideIndexPage.objects.get(locale=Locale.get_default())
    fields.setdefault("title", "A guide")
    fields.setdefault("slug", f"guide-{next(_guide_numbers)}")
    fields.setdefault("summary", f"Summary of {fields['title']}.")
    threats = fields.pop("threats", ())
    related_cases = fields.pop("related_cases", ())
    page = GuidePage(live=publish, **fields)
    page.threats = list(Tactic.objects.filter(slug__in=threats))
    page.related_cases = list(related_cases)
    parent.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
        page.refresh_from_db()
    return page


def upload_document(title="Leaked memo"):
    """An uploaded document, as a contributor leaves it: nobody has released it."""
    return get_document_model().objects.create(title=title, file=ContentFile(b"the memo's text", name="memo.txt"))


def upload_image(title="Leaked photo"):
    return get_image_model().objects.create(title=title, file=get_test_image_file(filename="photo.png"))


def body_using(document=None, image=None):
    """A page body (StreamField data) that links to the document and shows the image."""
    blocks = []
    if document:
        link = f'<p>See <a linktype="document" id="{document.pk}">the memo</a>.</p>'
        blocks.append({"type": "paragraph", "value": link})
    if image:
        blocks.append({"type": "image", "value": {"image": image.pk, "alt_text": "A photo", "caption": ""}})
    return blocks
