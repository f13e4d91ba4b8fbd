from django import template

from reporting.models import ReportingRound

register = template.Library()


@register.simple_tag
def open_reporting_rounds():
    return list(ReportingRound.objects.open())
