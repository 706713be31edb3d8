"""Reads of a campaign that its page, its map and the API share."""

from municipia.communications.models import Campaign
from municipia.communications.permissions import activity_cities, can_manage_communications


def activities(campaign: Campaign):
    return campaign.activities.select_related("city__country").order_by("happens_on", "pk")


def activity_points(campaign: Campaign) -> tuple[dict, list]:
    """Countries (with their number of activities) and points [lat, lon, label, city slug] of
    the activities, in the form the directory's offline map reads."""
    countries, points = {}, []
    for activity in activities(campaign):
        city = activity.city
        if city.country_id:
            countries[city.country.code] = countries.get(city.country.code, 0) + 1
        if city.latitude is not None and city.longitude is not None:
            points.append([city.latitude, city.longitude, f"{city} · {activity.title}", city.slug])
    return countries, points


def campaign_page(campaign: Campaign, user) -> dict:
    """Everything the campaign's page shows, in a fixed number of queries."""
    listed = list(activities(campaign))
    return {
        "campaign": campaign,
        "text": campaign.text(),
        "activities": listed,
        "country_names": {
            a.city.country.code: a.city.country.name for a in listed if a.city.country_id
        },
        "materials": list(campaign.materials.order_by("kind", "title")),
        "stops": list(campaign.exhibition_stops.select_related("city").order_by("opens_on")),
        "draft": campaign.declaration_draft,
        "can_register": campaign.is_published and bool(activity_cities(user, campaign)),
        "manager": can_manage_communications(user, campaign.network),
    }
