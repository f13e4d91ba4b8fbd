"""Public pages of the action plans: the list, one plan, and the coverage map."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import plans


@require_GET
def plan_list(request):
    return render(request, "public/plans.html", {"plans": plans.plan_list()})


@require_GET
def plan_detail(request, slug):
    context = plans.plan_page(
        slug, organisation_slug=request.GET.get("ansvarig", ""), level_code=request.GET.get("niva", "")
    )
    return render(request, "public/plan.html", context)


@require_GET
def coverage(request):
    return render(request, "public/coverage.html", plans.coverage_map())
