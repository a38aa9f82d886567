from django.forms.models import BaseInlineFormSet

from .models import Session


class QuoteInlineFormSet(BaseInlineFormSet):
    """A conference's quotes: the session list offers only that conference's sessions."""

    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        if self.instance.pk:
            sessions = Session.objects.filter(conference=self.instance)
        else:
            sessions = Session.objects.none()
        form.fields["session"].queryset = sessions
