"""Form behaviour shared by every form that takes free text."""


class NoEchoMyNumberMixin:
    """A field refused by the My Number guard is re-rendered empty: the number is never sent back."""

    def full_clean(self):
        super().full_clean()
        refused = [name for name, errors in self.errors.as_data().items()
                   if any(error.code == "my_number" for error in errors)]
        if refused:
            self.data = self.data.copy()
            for name in refused:
                self.data[self.add_prefix(name)] = ""
