from django.urls import path

from municipia.finance import views

app_name = "finance"

urlpatterns = [
    path("dues/", views.dues_index, name="index"),
    path("dues/<slug:network>/", views.network_dues, name="network-dues"),
    path("dues/<slug:network>/schedules/new/", views.schedule_edit, name="schedule-create"),
    path("dues/<slug:network>/schedules/<int:year>/", views.schedule_edit, name="schedule-edit"),
    path("dues/<slug:network>/issue/", views.invoices_issue, name="invoices-issue"),
    path("dues/<slug:network>/invoices/", views.invoice_list, name="invoice-list"),
    path("dues/<slug:network>/invoices/<str:number>/", views.invoice_detail, name="invoice-detail"),
    path(
        "dues/<slug:network>/invoices/<str:number>/payments/",
        views.payment_record,
        name="payment-record",
    ),
    path(
        "dues/<slug:network>/invoices/<str:number>/waivers/",
        views.waiver_create,
        name="waiver-create",
    ),
    path("dues/<slug:network>/invoices/<str:number>/plans/", views.plan_create, name="plan-create"),
    path(
        "dues/<slug:network>/invoices/<str:number>/plans/<int:plan>/cancel/",
        views.plan_cancel,
        name="plan-cancel",
    ),
    path(
        "dues/<slug:network>/invoices/<str:number>/cancel/",
        views.invoice_cancel,
        name="invoice-cancel",
    ),
    path("dues/<slug:network>/arrears/", views.arrears_report, name="arrears"),
    path("dues/<slug:network>/bank-details/", views.bank_details_edit, name="bank-details"),
    # A member's own dues, under its place's address.
    path("places/<slug:slug>/dues/", views.member_invoice_list, name="member-invoice-list"),
    path(
        "places/<slug:slug>/dues/<slug:network>/<str:number>/",
        views.member_invoice_detail,
        name="member-invoice-detail",
    ),
    path(
        "places/<slug:slug>/dues/<slug:network>/<str:number>/receipt/",
        views.member_receipt,
        name="member-receipt",
    ),
    path(
        "places/<slug:slug>/dues/<slug:network>/<str:number>/receipt.pdf",
        views.member_receipt_pdf,
        name="member-receipt-pdf",
    ),
]
