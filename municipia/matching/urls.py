from django.urls import path

from municipia.matching import views

app_name = "matching"

urlpatterns = [
    path("", views.city_list, name="city-list"),
    path("cities/<slug:slug>/partners/", views.partner_suggestions, name="partner-suggestions"),
    path("cities/<slug:slug>/study-visits/", views.study_visits, name="study-visits"),
    path("members/<int:pk>/mentors/", views.mentor_suggestions, name="mentor-suggestions"),
    path("members/<int:pk>/mentors/<int:mentor>/pair/", views.mentor_pair, name="mentor-pair"),
    path("networks/<slug:slug>/experts/", views.expert_search, name="expert-search"),
    path("networks/<slug:slug>/graph/", views.network_graph, name="network-graph"),
    path("marks/", views.mark_suggestion, name="mark"),
]
