"""Records URLs, under /records/: disclosures and their accounting, the record export, documents."""

from django.urls import path

from records.views import disclosures, documents, exports

app_name = "records"

urlpatterns = [
    path("participants/<uuid:client_uuid>/disclosures/", disclosures.accounting, name="accounting"),
    path("participants/<uuid:client_uuid>/disclosures.<str:fmt>", disclosures.accounting_export,
         name="accounting_export"),
    path("participants/<uuid:client_uuid>/disclosures/new/", disclosures.disclosure_new, name="disclosure_new"),
    path("participants/<uuid:client_uuid>/export/", exports.record_export_new, name="record_export_new"),
    path("participants/<uuid:client_uuid>/documents/", documents.document_list, name="document_list"),
    path("participants/<uuid:client_uuid>/documents/new/", documents.document_new, name="document_new"),
    path("disclosures/<uuid:disclosure_uuid>/", disclosures.disclosure_detail, name="disclosure_detail"),
    path("disclosures/<uuid:disclosure_uuid>/notice.pdf", disclosures.disclosure_pdf, name="disclosure_pdf"),
    path("disclosures/<uuid:disclosure_uuid>/record.<str:fmt>", exports.record_export_file,
         name="record_export_file"),
    path("documents/<uuid:document_uuid>/", documents.document_file, name="document_file"),
]
