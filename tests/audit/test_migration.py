"""Migration 0005 chains the entries written before the chain existed, so `audit verify` passes on them."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


@pytest.mark.django_db(transaction=True)
def test_0005_chains_old_rows(municipality):
    from jichitai.audit.models import AuditEntry
    from jichitai.audit.services import verify
    ex = MigrationExecutor(connection)
    ex.migrate([("audit", "0004_accounts_tokens_chain")])
    ex.loader.build_graph()
    old = ex.loader.project_state([("audit", "0004_accounts_tokens_chain")]).apps
    E = old.get_model("audit", "AuditEntry")
    for i in range(3):
        E.objects.create(actor_name="a", via="web", action=f"old{i}", object_type="x",
                         municipality_id=municipality.pk, after={"n": 1.0})
    E.objects.create(actor_name="a", via="web", action="op", object_type="installation")
    ex = MigrationExecutor(connection)
    ex.migrate([("audit", "0005_chain_existing_entries")])
    assert AuditEntry.objects.filter(chain="").count() == 0
    assert verify() is None
    ex = MigrationExecutor(connection)
    ex.loader.build_graph()
    ex.migrate(ex.loader.graph.leaf_nodes())
