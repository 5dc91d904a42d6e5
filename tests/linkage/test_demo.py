import random

from django.utils import timezone

from jichitai.demo.builder import build
from jichitai.linkage import demo
from jichitai.linkage.models import LinkageItem, LinkageProfile, NumberSystem
from jichitai.linkage.queries import ordinance_findings, proficiency_findings


def test_populate_gives_every_kind_of_finding_and_is_idempotent(db):
    result = build(members=3, with_users=False, seed=7)
    # demo.build runs populate itself; start again from no linkage data to check what populate makes.
    for model in (LinkageItem, LinkageProfile, NumberSystem):
        model.objects.all().delete()
    today = timezone.localdate()
    totals = demo.populate(result.municipalities, today, random.Random(7))  # noqa: S311 - reproducible demo data
    assert totals["items"] == LinkageItem.objects.count() > 0
    assert totals["profiles"] == LinkageProfile.objects.count() > 0
    for municipality in result.municipalities:
        processes = LinkageItem.objects.filter(process__municipality=municipality).values("process").distinct()
        assert 3 <= processes.count() <= 5
        assert NumberSystem.objects.filter(municipality=municipality).exists()
    ids = [m.pk for m in result.municipalities]
    kinds = {f.kind for f in ordinance_findings(ids, today)}
    # member 1's 庁内連携 article is not yet in force; member 2 has none; member 1 has a process without basis
    assert kinds == {"intra_office_without_ordinance", "ordinance_not_in_force", "system_without_basis"}
    assert proficiency_findings(ids, today)
    # Most items are complete.
    complete = sum(1 for item in LinkageItem.objects.select_related("ordinance") if not _problems(item, today))
    assert complete > LinkageItem.objects.count() / 2
    before = (LinkageItem.objects.count(), LinkageProfile.objects.count(), NumberSystem.objects.count())
    again = demo.populate(result.municipalities, today, random.Random(7))  # noqa: S311 - reproducible demo data
    assert again == {"items": 0, "profiles": 0, "systems": 0}
    assert (LinkageItem.objects.count(), LinkageProfile.objects.count(), NumberSystem.objects.count()) == before


def _problems(item, today):
    from jichitai.linkage import rules

    return rules.item_problems(item.facts(), today)
