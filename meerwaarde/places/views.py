from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from meerwaarde.places.selectors import place_search


@require_GET
def autocomplete(request: HttpRequest) -> HttpResponse:
    """Places for a few typed letters: ``<option>``s for a datalist, or JSON when asked."""
    # htmx sends the input under its own name: "place" in the profile forms, "<prefix>-place"
    # in a formset (the locations of an offer).
    query = request.GET.get("q") or request.GET.get("place") or ""
    if not query:
        query = next((v for k, v in request.GET.items() if k.endswith("-place")), "")
    places = list(place_search(query=query[:60]))
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(
            {
                "results": [
                    {
                        "id": p.pk,
                        "name": p.name,
                        "label": p.label,
                        "province": p.get_province_display(),
                        "latitude": p.latitude,
                        "longitude": p.longitude,
                    }
                    for p in places
                ]
            }
        )
    return render(request, "places/options.html", {"places": places})
