"""/cases/export.navigator.json: the filtered cases' DISARM techniques as a Navigator layer.

The DISARM Navigator is a fork of MITRE's ATT&CK Navigator and reads its layer format (4.x);
the heat ("score") of a technique is the number of matching cases that show it. A case shows
the techniques chosen on it or, when none were chosen, those its tactics map to — the same rule
as the case page (CaseStudyPage.techniques_shown) and the STIX export.
"""

import json
from collections import Counter, defaultdict
from itertools import islice

from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal.absolute_urls import absolute_url

from .exports import _export_name, filters_or_400, linked_ids
from .models import DisarmTechnique, Tactic

CHUNK_SIZE = 2000
LAYER_VERSIONS = {"attack": "1", "navigator": "4.8.2", "layer": "4.5"}
# A sequential, colour-blind-safe ramp (ColorBrewer YlOrRd, 3 classes).
GRADIENT = ["#ffeda0", "#feb24c", "#f03b20"]


def technique_counts(queryset):
    """{DisarmTechnique pk: number of cases of the queryset that show it}."""
    of_tactic = defaultdict(set)
    # Live tactics only: a tactic never published maps to no technique (portal/reviewed.py).
    mapping = Tactic.disarm_techniques.through.objects.filter(tactic__in=Tactic.objects.live().values("pk"))
    for tactic_id, technique_id in mapping.values_list("tactic_id", "disarmtechnique_id"):
        of_tactic[tactic_id].add(technique_id)
    counts = Counter()
    ids = queryset.order_by().values_list("pk", flat=True).iterator(chunk_size=CHUNK_SIZE)
    while chunk := list(islice(ids, CHUNK_SIZE)):
        own, tactics = linked_ids("disarm_techniques", chunk), linked_ids("tactics", chunk)
        for case_id in chunk:
            shown = set(own.get(case_id, ())) or {t for tactic in tactics.get(case_id, ()) for t in of_tactic[tactic]}
            counts.update(shown)
    return counts


def layer(counts, filters, source_url):
    techniques = DisarmTechnique.objects.filter(pk__in=counts).order_by("external_id")
    top = max(counts.values(), default=0)
    described = ", ".join(f"{name}={'|'.join(values)}" for name, values in filters.items()) or "none"
    return {
        "name": "Election Integrity Portal: techniques seen",
        "versions": LAYER_VERSIONS,
        "domain": "DISARM",
        "description": (
            f"DISARM techniques shown by the published cases matching these filters ({described}); "
            f"score = number of cases. Source: {source_url}"
        ),
        "sorting": 3,  # by score, highest first
        "layout": {"layout": "side", "showID": True, "showName": True},
        "hideDisabled": False,
        "techniques": [
            {
                "techniqueID": technique.external_id,
                "score": counts[technique.pk],
                "comment": f"{counts[technique.pk]} case{'s' if counts[technique.pk] != 1 else ''}",
                "enabled": True,
                "showSubtechniques": True,
            }
            for technique in techniques
        ],
        "gradient": {"colors": GRADIENT, "minValue": 0, "maxValue": max(top, 1)},
        "legendItems": [],
        "metadata": [
            {"name": "generated", "value": timezone.now().isoformat(timespec="seconds")},
            {"name": "DISARM framework version", "value": techniques[0].framework_version if techniques else "1.6"},
        ],
        "links": [{"label": "The cases in the catalogue", "url": source_url}],
    }


@require_GET
def export_navigator(request):
    """A DISARM Navigator layer of the cases matching the catalogue's filters."""
    filterset, error = filters_or_400(request)
    if error:
        return error
    filters = {name: filterset.data.getlist(name) for name in filterset.data}
    query = filterset.data.urlencode()
    source_url = absolute_url(request, "/cases/" + (f"?{query}" if query else ""))
    body = json.dumps(layer(technique_counts(filterset.qs), filters, source_url), ensure_ascii=False, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_export_name("navigator.json")}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response
