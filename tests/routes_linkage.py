"""Persona table of the linkage app (merged by tests/test_tenancy.py)."""

from jichitai.linkage.models import LinkageItem, NumberSystem
from tests.personas import MUNICIPAL_WRITE, Route

ITEM = {"data_item": "地方税関係情報", "direction": "inquiry", "counterpart": "他市町村長",
        "counterpart_kind": "other_body", "channel": "network", "legal_basis": "主務省令 第2条"}

ROUTES = {
    "linkage:process": Route("/m/{code}/processes/{pk}/linkage/"),
    "linkage:export": Route("/m/{code}/processes/{pk}/linkage.xlsx"),
    "linkage:profile": Route("/m/{code}/processes/{pk}/linkage/profile/", method="post",
                             data={"trouble_procedure": "本人に書類の提出を求める。"}, expect=MUNICIPAL_WRITE),
    # No file: the member sees the form again with its error.
    "exchange:linkage_import": Route("/m/{code}/processes/{pk}/linkage/import/", method="post", expect=(400, 403, 404)),
    "linkage:item_new": Route("/m/{code}/processes/{pk}/linkage/items/new/", expect=(200, 403, 404)),
    "linkage:item_new#post": Route("/m/{code}/processes/{pk}/linkage/items/new/", method="post", data=ITEM,
                                   expect=MUNICIPAL_WRITE),
    "linkage:item_edit": Route("/m/{code}/linkage/items/{linkage_item}/edit/", expect=(200, 403, 404)),
    "linkage:item_edit#post": Route("/m/{code}/linkage/items/{linkage_item}/edit/", method="post",
                                    data=ITEM | {"notes": "改めた"}, expect=MUNICIPAL_WRITE),
    "linkage:item_delete": Route("/m/{code}/linkage/items/{linkage_item}/delete/", method="post", expect=MUNICIPAL_WRITE),
    "linkage:systems": Route("/m/{code}/systems/"),
    "linkage:systems_export": Route("/m/{code}/systems.xlsx"),
    "linkage:systems_sync": Route("/m/{code}/systems/sync/", method="post", expect=MUNICIPAL_WRITE),
    "linkage:system_new": Route("/m/{code}/systems/new/", expect=(200, 403, 404)),
    "linkage:system_new#post": Route("/m/{code}/systems/new/", method="post",
                                     data={"name": "住民情報システム", "stores_numbers": "on", "processes": "{pk}"},
                                     expect=MUNICIPAL_WRITE),
    "linkage:system_edit": Route("/m/{code}/systems/{system}/edit/", expect=(200, 403, 404)),
    "linkage:system_edit#post": Route("/m/{code}/systems/{system}/edit/", method="post",
                                      data={"name": "税務システム（改）"}, expect=MUNICIPAL_WRITE),
}


def objects(municipality, process, association, department) -> dict:
    item = LinkageItem.objects.create(process=process, data_item="住民票関係情報", direction="inquiry",
                                      counterpart="他市町村長", counterpart_kind="other_body", channel="network",
                                      legal_basis="主務省令 第3条")
    system = NumberSystem.objects.create(municipality=municipality, name="税務システム")
    return {"linkage_item": item.pk, "system": system.pk}
