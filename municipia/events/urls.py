from django.urls import path

from municipia.events import views, views_manage, views_staff
from municipia.events.governance.urls import urlpatterns as governance_urls

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="event-list"),
    path("network/<slug:network_slug>/", views.event_list, name="network-calendar"),
    path("network/<slug:network_slug>/calendar.ics", views.network_feed, name="network-feed"),
    path("mine/", views.my_registrations, name="my-registrations"),
    path("new/", views_manage.event_create, name="event-create"),
    path(
        "network/<slug:network_slug>/balance/",
        views_staff.network_balance,
        name="network-balance",
    ),
    path(
        "registrations/<int:pk>/certificate.pdf",
        views_staff.certificate_download,
        name="certificate-download",
    ),
    path("calendar/", views.calendar_feeds, name="calendar-feeds"),
    path("calendar/<str:key>/mine.ics", views.personal_feed, name="personal-feed"),
    path(
        "calendar/<str:key>/network/<slug:network_slug>.ics",
        views.personal_network_feed,
        name="personal-network-feed",
    ),
    path("registrations/<int:pk>/cancel/", views.registration_cancel, name="registration-cancel"),
    path("registrations/<int:pk>/decide/", views.registration_decide, name="registration-decide"),
    *governance_urls,
    path("<slug:slug>/", views.event_detail, name="event-detail"),
    path("<slug:slug>/map.json", views.event_map, name="event-map"),
    path("<slug:slug>/calendar.ics", views.event_feed, name="event-feed"),
    path("<slug:slug>/programme/", views.programme, name="programme"),
    path("<slug:slug>/programme/<int:pk>/agenda/", views.agenda_toggle, name="agenda-toggle"),
    path("<slug:slug>/programme/<int:pk>/documents/", views.document_add, name="document-add"),
    path("<slug:slug>/register/", views.register_self, name="register"),
    path("<slug:slug>/delegation/", views.delegation, name="delegation"),
    path("<slug:slug>/participants/", views.participants, name="participants"),
    path("<slug:slug>/badges.pdf", views.badges_pdf, name="badges"),
    path("<slug:slug>/check-in/", views.checkin, name="checkin"),
    path("<slug:slug>/edit/", views_manage.event_edit, name="event-edit"),
    path("<slug:slug>/manage/", views_manage.manage_programme, name="manage-programme"),
    path("<slug:slug>/manage/status/", views_manage.event_status, name="event-status"),
    path("<slug:slug>/manage/rooms/add/", views_manage.room_edit, name="room-add"),
    path("<slug:slug>/manage/rooms/<int:pk>/", views_manage.room_edit, name="room-edit"),
    path("<slug:slug>/manage/sessions/add/", views_manage.session_edit, name="session-add"),
    path("<slug:slug>/manage/sessions/<int:pk>/", views_manage.session_edit, name="session-edit"),
    path(
        "<slug:slug>/manage/sessions/<int:session_pk>/speakers/add/",
        views_manage.speaker_edit,
        name="speaker-add",
    ),
    path(
        "<slug:slug>/manage/sessions/<int:session_pk>/speakers/<int:pk>/",
        views_manage.speaker_edit,
        name="speaker-edit",
    ),
    path("<slug:slug>/questions/", views_staff.questions, name="questions"),
    path("<slug:slug>/questions/add/", views_staff.question_edit, name="question-add"),
    path("<slug:slug>/questions/<int:pk>/", views_staff.question_edit, name="question-edit"),
    path(
        "<slug:slug>/questions/<int:pk>/delete/",
        views_staff.question_delete,
        name="question-delete",
    ),
    path("<slug:slug>/certificates/", views_staff.certificates_page, name="certificates"),
    path("<slug:slug>/balance/", views_staff.event_balance, name="balance"),
    path("<slug:slug>/documents/<int:pk>/", views.document_download, name="document-download"),
]
