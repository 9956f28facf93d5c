"""Dates as each language writes them in running text: {{ day|long_date }}, {{ day|long_month }}.

Django's `date` filter translates the month names but not the words around them, so Spanish
would read "18 abril 2027"; these use cases/dates.py, which writes "18 de abril de 2027".
"""

from django import template

from cases.dates import day_display, month_display

register = template.Library()


@register.filter
def long_date(value):
    return day_display(value) if value else ""


@register.filter
def long_month(value):
    return month_display(value) if value else ""
