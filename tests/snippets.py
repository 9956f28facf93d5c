"""Driving Wagtail's snippet admin from tests: the edit form as a browser posts it, and its actions."""

import json

from bs4 import BeautifulSoup
from django.urls import reverse


def snippet_url(obj_or_model, view, *args):
    meta = obj_or_model._meta
    return reverse(f"wagtailsnippets_{meta.app_label}_{meta.model_name}:{view}", args=args)


def form_data(html, form_selector=None, **changes):
    """What the first admin form in `html` posts, with `changes` applied."""
    soup = BeautifulSoup(html, "html.parser")
    form = soup.select_one(form_selector) if form_selector else soup.find("form", attrs={"method": "post"})
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or "__prefix__" in name or field.get("type") in ("submit", "button"):
            continue
        if field.name == "select":
            values = [option.get("value") for option in field.find_all("option", selected=True)]
            data[name] = values if field.has_attr("multiple") else (values[0] if values else "")
        elif field.name == "textarea":
            data[name] = field.text.strip()
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "on"))
        else:
            data[name] = field.get("value", "")
    data.update(changes)
    return data


def edit_snippet(client, obj, **changes):
    """Post the snippet's edit form as the logged-in user sees it; without an action-* key, "Save draft"."""
    url = snippet_url(obj, "edit", obj.pk)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return client.post(url, form_data(response.content, "form[data-edit-form]", **changes))


def add_snippet(client, model, **fields):
    """Post the snippet's create form; without an action-* key, "Save draft"."""
    url = snippet_url(model, "add")
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return client.post(url, form_data(response.content, "form[data-edit-form]", **fields))


def rich_text(text):
    """One paragraph as the Draftail editor posts it (a rich text field's form value)."""
    block = {"key": "a1b2c", "text": text, "type": "unstyled", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}
    return json.dumps({"blocks": [block], "entityMap": {}})
