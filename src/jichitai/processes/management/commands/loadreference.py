from jichitai.cloud.services import load_standard_areas
from jichitai.core.commands import DomainCommand
from jichitai.measures.services import DEFAULT_FRAMEWORK_PATH, load_framework
from jichitai.processes.services import load_beppyo
from jichitai.training.services import load_curriculum


class Command(DomainCommand):
    help = "Load the reference data shipped in jichitai/data (別表, measures framework, curriculum). Idempotent."

    def handle(self, *args, **options):
        result = {"beppyo": load_beppyo(), "framework": load_framework(DEFAULT_FRAMEWORK_PATH),
                  "curriculum": load_curriculum(), "standard_areas": load_standard_areas()}
        beppyo, framework, curriculum = result["beppyo"], result["framework"], result["curriculum"]
        self.emit(options, result,
                  f"別表: {beppyo['total']} items ({beppyo['created']} created, {beppyo['updated']} updated), "
                  f"revision {beppyo['revision']}\n"
                  f"安全管理措置: {framework['total']} items ({framework['created']} created, "
                  f"{framework['updated']} updated)\n"
                  f"研修カリキュラム: {curriculum['total']} courses ({curriculum['created']} created, "
                  f"{curriculum['updated']} updated)\n"
                  f"標準化対象業務: {result['standard_areas']['total']} areas")
