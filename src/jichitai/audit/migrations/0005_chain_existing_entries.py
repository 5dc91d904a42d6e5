"""Chain the entries written before the hash chain existed, in id order, each in its own chain."""

from django.conf import settings
from django.db import migrations

from jichitai.audit import chain


def chain_existing(apps, schema_editor):
    AuditEntry = apps.get_model("audit", "AuditEntry")
    key = chain.derive_key(getattr(settings, "JICHITAI_AUDIT_KEY", "") or settings.SECRET_KEY)
    heads: dict[str, tuple[int, str]] = {}
    for name, seq, digest in (AuditEntry.objects.exclude(chain="").filter(seq__isnull=False)
                              .order_by("chain", "seq").values_list("chain", "seq", "entry_hash")):
        heads[name] = (seq, digest)
    batch = []
    for row in AuditEntry.objects.filter(chain="").order_by("id").iterator(chunk_size=2000):
        row.chain = chain.chain_key(row.municipality_id, row.association_id)
        seq, prev = heads.get(row.chain, (0, ""))
        content = {name: getattr(row, name) for name in chain.CONTENT_FIELDS}
        [(row.seq, row.prev_hash, row.entry_hash)] = chain.link(key, [content], seq, prev)
        heads[row.chain] = (row.seq, row.entry_hash)
        batch.append(row)
        if len(batch) >= 1000:
            AuditEntry.objects.bulk_update(batch, ["chain", "seq", "prev_hash", "entry_hash"])
            batch = []
    AuditEntry.objects.bulk_update(batch, ["chain", "seq", "prev_hash", "entry_hash"])


class Migration(migrations.Migration):

    dependencies = [("audit", "0004_accounts_tokens_chain")]

    operations = [migrations.RunPython(chain_existing, migrations.RunPython.noop)]
