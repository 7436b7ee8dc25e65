from django.urls import path

from kuzot.cases.views import (
    cases,
    corrections,
    evidence,
    imports,
    people,
    places,
    translations,
)

urlpatterns = [
    path("people/", people.people, name="people"),
    path("people/new/", people.new_person, name="new_person"),
    path("people/<int:pk>/", people.person, name="person"),
    path("people/<int:pk>/edit/", corrections.edit_person, name="edit_person"),
    path("people/<int:pk>/merge/", corrections.merge_person, name="merge_person"),
    path("people/<int:pk>/history/", corrections.person_history, name="person_history"),
    # The case register's screens.
    path("cases/", cases.case_list, name="cases"),
    path("cases/new/", cases.new_case, name="new_case"),
    path("cases/bulk/", cases.bulk_change, name="cases_bulk"),
    path("cases/filters/", cases.save_filter, name="cases_save_filter"),
    path("cases/filters/<int:pk>/delete/", cases.delete_filter, name="cases_delete_filter"),
    path("cases/<int:pk>/", cases.case, name="case"),
    path("cases/<int:pk>/edit/", cases.edit_case, name="edit_case"),
    path("cases/<int:pk>/allegations/new/", cases.new_allegation, name="new_allegation"),
    path("cases/<int:pk>/events/new/", cases.new_event, name="new_event"),
    path(
        "cases/<int:pk>/allegations/<int:act>/edit/",
        corrections.edit_allegation,
        name="edit_allegation",
    ),
    path(
        "cases/<int:pk>/allegations/<int:act>/delete/",
        corrections.delete_allegation,
        name="delete_allegation",
    ),
    path("cases/<int:pk>/events/<int:event>/edit/", corrections.edit_event, name="edit_event"),
    path(
        "cases/<int:pk>/events/<int:event>/delete/", corrections.delete_event, name="delete_event"
    ),
    path("cases/<int:pk>/history/", corrections.case_history, name="case_history"),
    path("revisions/<int:pk>/restore/", corrections.restore_revision, name="restore_revision"),
    path("cases/<int:pk>/consent/", cases.record_consent, name="record_consent"),
    path("cases/<int:pk>/medical/new/", cases.new_medical, name="new_medical"),
    path("cases/<int:pk>/share/", cases.share_case, name="share_case"),
    path("cases/<int:pk>/share/<int:share>/revoke/", cases.revoke_share, name="revoke_share"),
    path("shared/", cases.shared_list, name="shared"),
    path("shared/<int:pk>/", cases.shared_case, name="shared_case"),
    path("cases/<int:pk>/evidence/", evidence.upload, name="upload_evidence"),
    path("evidence/<int:pk>/original/", evidence.download, name="evidence_original"),
    path("evidence/<int:pk>/no-metadata/", evidence.download_stripped, name="evidence_stripped"),
    # Places of detention and the organisation's vocabularies.
    path("places/", places.place_list, name="places"),
    path("places/new/", places.new_place, name="new_place"),
    path("places/<int:pk>/", places.place, name="place"),
    path("places/<int:pk>/edit/", places.edit_place, name="edit_place"),
    path("vocabularies/", places.vocabularies, name="vocabularies"),
    path("vocabularies/<int:pk>/edit/", places.edit_term, name="edit_term"),
    # Importing and exporting the case register.
    path("cases/import/", imports.upload, name="import_upload"),
    path("cases/import/<int:pk>/map/", imports.map_columns, name="import_map"),
    path("cases/import/<int:pk>/check/", imports.check, name="import_check"),
    path("cases/import/<int:pk>/run/", imports.run, name="import_run"),
    path("cases/import/<int:pk>/", imports.result, name="import_result"),
    path("cases/import/<int:pk>/rejected.csv", imports.rejected, name="import_rejected"),
    path("cases/import/<int:pk>/dismiss/", imports.dismiss, name="import_dismiss"),
    path("cases/export.csv", imports.export_csv, name="case_export_csv"),
    path("cases/export.xlsx", imports.export_xlsx, name="case_export_xlsx"),
    # Data labels in every language.
    path("translations/", translations.labels, name="translations"),
]
