from django.urls import path

from municipia.directory.views import imports, manage, public

app_name = "directory"

urlpatterns = [
    path("networks/", public.network_list, name="network-list"),
    path("networks/<slug:slug>/", public.network_detail, name="network-detail"),
    path("networks/<slug:slug>/members/", public.member_list, name="member-list"),
    path("networks/<slug:slug>/map.json", public.network_map, name="network-map"),
    path("networks/<slug:slug>/experts/", public.expert_list, name="expert-list"),
    path("places/", public.local_government_list, name="local-government-list"),
    path("places/new/", manage.local_government_create, name="local-government-create"),
    path("places/<slug:slug>/", public.local_government_detail, name="local-government-detail"),
    path("places/<slug:slug>/edit/", public.local_government_edit, name="local-government-edit"),
    path("places/<slug:slug>/apply/", public.membership_apply, name="membership-apply"),
    path("people/<slug:slug>/", public.person_detail, name="person-detail"),
    path("manage/networks/", manage.membership_manage_index, name="membership-manage-index"),
    path(
        "manage/networks/<slug:slug>/memberships/",
        manage.membership_manage_list,
        name="membership-manage-list",
    ),
    path("manage/networks/<slug:slug>/mentoring/", manage.mentoring_list, name="mentoring-list"),
    path("manage/networks/<slug:slug>/import/", imports.member_import, name="member-import"),
    path("manage/imports/<int:pk>/", imports.member_import_detail, name="member-import-detail"),
    path(
        "manage/imports/<int:pk>/columns/",
        imports.member_import_columns,
        name="member-import-columns",
    ),
    path(
        "manage/imports/<int:pk>/choose/", imports.member_import_choose, name="member-import-choose"
    ),
    path("manage/imports/<int:pk>/write/", imports.member_import_write, name="member-import-write"),
    path("manage/imports/<int:pk>/retry/", imports.member_import_retry, name="member-import-retry"),
    path("manage/memberships/<int:pk>/", manage.membership_manage, name="membership-manage"),
    path("manage/memberships/<int:pk>/decide/", manage.membership_decide, name="membership-decide"),
    path("manage/mentoring/<int:pk>/end/", manage.mentoring_end, name="mentoring-end"),
]
