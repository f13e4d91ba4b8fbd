"""Public pages: the start page and one page per goal."""

from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from reports.pagecache import shared_page
from reports.selectors import goal_page, home_page


@require_GET
def home(request):
    return shared_page(request, lambda: render_to_string("public/home.html", home_page(), request=request))


@require_GET
def goal(request, number):
    return shared_page(request, lambda: render_to_string("public/goal.html", goal_page(number), request=request))
