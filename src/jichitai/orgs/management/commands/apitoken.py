from django.contrib.auth import get_user_model

from jichitai.core.commands import DomainCommand, InvalidInput
from jichitai.orgs.services import create_api_token


class Command(DomainCommand):
    help = "Make a personal API token for a user and print it (it cannot be shown again)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("username")

    def handle(self, *args, **options):
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise InvalidInput(f"ユーザー {options['username']} がいません。")
        token = create_api_token(actor=None, via="command", user=user)
        self.emit(options, {"username": user.username, "token": token}, token)
