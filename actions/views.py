"""Public pages of the action plans: the list, one plan, and the coverage map."""

from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from reports.pagecache import shared_page

from . import plans


@require_GET
def plan_list(request):
    return shared_page(request, lambda: render_to_string("public/plans.html", {"plans": plans.plan_list()}, request=request))


@require_GET
def plan_detail(request, slug):
    def render():
        context = plans.plan_page(
            slug, organisation_slug=request.GET.get("ansvarig", ""), level_code=request.GET.get("niva", "")
        )
        return render_to_string("public/plan.html", context, request=request)

    return shared_page(request, render)


@require_GET
def coverage(request):
    return shared_page(request, lambda: render_to_string("public/coverage.html", plans.coverage_map(), request=request))
