"""Public pages: the start page and one page per goal."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from reports.selectors import goal_page, home_page


@require_GET
def home(request):
    return render(request, "public/home.html", home_page())


@require_GET
def goal(request, number):
    return render(request, "public/goal.html", goal_page(number))
