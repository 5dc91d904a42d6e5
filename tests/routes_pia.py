"""Persona table of the pia app (merged by tests/test_tenancy.py)."""

from jichitai.pia.models import Evaluation, ImportantChange, SpiFile
from tests.personas import MUNICIPAL_WRITE, Route

FILE = {"name": "住民基本台帳情報ファイル", "processes": "{pk}", "persons": 52000, "handlers": 120, "incident": ""}
EVALUATION = {"kind": "basic", "submitted_on": "2025-06-01", "published_on": "2025-06-15"}

ROUTES = {
    "pia:municipality": Route("/m/{code}/pia/"),
    "pia:export": Route("/m/{code}/pia.xlsx"),
    "pia:file": Route("/m/{code}/pia/files/{spi_file}/"),
    "pia:draft": Route("/m/{code}/pia/files/{spi_file}/draft.docx"),
    "pia:file_new": Route("/m/{code}/pia/files/new/", expect=(200, 403, 404)),
    "pia:file_new#post": Route("/m/{code}/pia/files/new/", method="post", data=FILE, expect=MUNICIPAL_WRITE),
    "pia:file_edit": Route("/m/{code}/pia/files/{spi_file}/edit/", expect=(200, 403, 404)),
    "pia:file_edit#post": Route("/m/{code}/pia/files/{spi_file}/edit/", method="post",
                                data=FILE | {"name": "児童手当情報ファイル"}, expect=MUNICIPAL_WRITE),
    "pia:evaluation_new": Route("/m/{code}/pia/files/{spi_file}/evaluations/new/", expect=(200, 403, 404)),
    "pia:evaluation_new#post": Route("/m/{code}/pia/files/{spi_file}/evaluations/new/", method="post",
                                     data=EVALUATION, expect=MUNICIPAL_WRITE),
    "pia:evaluation_edit": Route("/m/{code}/pia/evaluations/{evaluation}/edit/", expect=(200, 403, 404)),
    "pia:evaluation_edit#post": Route("/m/{code}/pia/evaluations/{evaluation}/edit/", method="post",
                                      data=EVALUATION, expect=MUNICIPAL_WRITE),
    "pia:change_new": Route("/m/{code}/pia/files/{spi_file}/changes/new/", expect=(200, 403, 404)),
    "pia:change_new#post": Route("/m/{code}/pia/files/{spi_file}/changes/new/", method="post",
                                 data={"changed_on": "2026-01-10", "description": "システム更改"}, expect=MUNICIPAL_WRITE),
    "pia:change_edit": Route("/m/{code}/pia/changes/{spi_change}/edit/", expect=(200, 403, 404)),
    "pia:change_edit#post": Route("/m/{code}/pia/changes/{spi_change}/edit/", method="post",
                                  data={"changed_on": "2026-01-10", "description": "システム更改",
                                        "reevaluated": "on"}, expect=MUNICIPAL_WRITE),
    # API: the threshold check is public law, answered to everyone signed in.
    "api:check_threshold": Route("/api/v1/pia/threshold?persons=150000&handlers=600", json=True,
                                 expect=(200, 200, 200)),
    "api:list_spi_files": Route("/api/v1/municipalities/{code}/spi-files", json=True),
    "api:create_spi_file": Route("/api/v1/municipalities/{code}/spi-files", method="post", json=True,
                                 data={"name": "介護保険情報ファイル", "persons": 30000, "handlers": 80},
                                 expect=(201, 403, 404)),
    "api:update_spi_file": Route("/api/v1/spi-files/{spi_file}", method="patch", json=True,
                                 data={"handlers": 700}, expect=(200, 403, 404)),
    "api:list_evaluations": Route("/api/v1/spi-files/{spi_file}/evaluations", json=True),
    "api:create_evaluation": Route("/api/v1/spi-files/{spi_file}/evaluations", method="post", json=True,
                                   data=EVALUATION, expect=(201, 403, 404)),
}


def objects(municipality, process, association, department) -> dict:
    spi_file = SpiFile.objects.create(municipality=municipality, name="児童手当情報ファイル", persons=12000,
                                      handlers=40)
    spi_file.processes.set([process])
    evaluation = Evaluation.objects.create(spi_file=spi_file, kind="basic", submitted_on="2025-05-01")
    change = ImportantChange.objects.create(spi_file=spi_file, changed_on="2025-12-01", description="委託先の変更")
    return {"spi_file": spi_file.pk, "evaluation": evaluation.pk, "spi_change": change.pk}
