"""The programme editor's forms: a form per session, each with a formset of its speakers."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Prefetch
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from members.models import Organisation, Person, Topic

from .. import services
from ..models import Appearance, Conference, Session

# A conference known only to its month or year spans too many days for a list to choose from.
MOST_DAYS_TO_LIST = 31
LARGEST_ID = 2**31 - 1


class KnownLabelsMixin:
    """An admin autocomplete that names its chosen options from labels the page looked up for
    all its widgets at once, rather than with a query of its own for each widget. A chosen
    value that is not among them (no such record, or not a number) is left out."""

    def __init__(self, *args, labels: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.labels = labels

    def optgroups(self, name, value, attrs=None):
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for pk in dict.fromkeys(str(v) for v in value):
            if pk in self.labels:
                options.append(self.create_option(name, pk, self.labels[pk], True, len(options)))
        return [(None, options, 0)]


class PersonWidget(KnownLabelsMixin, AutocompleteSelect):
    pass


class TopicsWidget(KnownLabelsMixin, AutocompleteSelectMultiple):
    pass


class RecordsField(forms.ModelMultipleChoiceField):
    """Refuses an id no table can hold before asking the database (SQLite overflows)."""

    def _check_values(self, value):
        for pk in value:
            if not (str(pk).isascii() and str(pk).isdigit() and 0 < int(pk) <= LARGEST_ID):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


def use_widget(form_field: forms.Field, widget: forms.Widget) -> None:
    widget.is_required = form_field.required
    widget.choices = form_field.choices
    form_field.widget = widget


def day_field_widget(conference: Conference) -> forms.Widget:
    days = conference.days
    if len(days) > MOST_DAYS_TO_LIST:
        return forms.DateInput(
            format="%Y-%m-%d",
            attrs={
                "type": "date",
                "min": conference.start_date.isoformat(),
                "max": conference.end_date.isoformat(),
            },
        )
    return forms.Select(choices=[(day.isoformat(), day_label(day)) for day in days])


def day_label(day: datetime.date) -> str:
    return date_format(day, "l j F Y")


TIME_WIDGET = forms.TimeInput(format="%H:%M", attrs={"type": "time"})


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = [
            "title",
            "kind",
            "day",
            "start_time",
            "end_time",
            "location",
            "order",
            "is_published",
            "topics",
            "description",
        ]
        widgets = {
            "start_time": TIME_WIDGET,
            "end_time": TIME_WIDGET,
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"topics": RecordsField}

    def __init__(self, *args, conference: Conference, labels: "Labels", **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The day is checked against the conference's dates by the model.
        self.instance.conference = conference
        self.fields["day"].widget = day_field_widget(conference)
        self.fields["order"].help_text = _("Among sessions at the same time.")
        self.fields["is_published"].help_text = ""
        use_widget(
            self.fields["topics"],
            TopicsWidget(Session._meta.get_field("topics"), admin.site, labels=labels[Topic]),
        )


class AppearanceForm(forms.ModelForm):
    """A speaker: a person chosen from the records, or a new one named here."""

    new_person_name = forms.CharField(
        label=_("Or a new person"),
        required=False,
        max_length=Person._meta.get_field("name").max_length,
        validators=Person._meta.get_field("name").validators,
        help_text=_("Full name, as the person writes it."),
    )
    new_person_affiliation = forms.ModelChoiceField(
        label=_("Affiliation of the new person"),
        queryset=Organisation.objects.all(),
        required=False,
    )

    field_order = ["person", "new_person_name", "new_person_affiliation", "role", "capacity"]

    class Meta:
        model = Appearance
        fields = ["person", "role", "capacity", "order"]

    def __init__(self, *args, labels: "Labels", can_add_people: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        person.required = False
        use_widget(
            person,
            PersonWidget(Appearance._meta.get_field("person"), admin.site, labels=labels[Person]),
        )
        if can_add_people:
            use_widget(
                self.fields["new_person_affiliation"],
                PersonWidget(
                    Person._meta.get_field("affiliation"), admin.site, labels=labels[Organisation]
                ),
            )
        else:
            del self.fields["new_person_name"]
            del self.fields["new_person_affiliation"]

    def clean(self) -> dict:
        cleaned = super().clean()
        person, name = cleaned.get("person"), cleaned.get("new_person_name")
        if person and name:
            self.add_error(
                "new_person_name", gettext("Choose a person or name a new one, not both.")
            )
        elif not person and not name and "person" not in self.errors:
            self.add_error("person", gettext("Choose a person or name a new one."))
        if cleaned.get("new_person_affiliation") and not name:
            self.add_error(
                "new_person_affiliation", gettext("An affiliation is for a new person only.")
            )
        return cleaned


class ExistingRowsFormSet(forms.BaseModelFormSet):
    """A row sent as an existing one must be one of those shown (none of another record)."""

    def clean(self) -> None:
        super().clean()
        for form in self.initial_forms:
            if form.instance.pk is None:
                raise ValidationError(
                    gettext(
                        "The programme has changed since this page was opened: reload the page "
                        "and make the changes again."
                    )
                )


class AppearanceFormSet(ExistingRowsFormSet):
    def clean(self) -> None:
        super().clean()
        seen = set()
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or self._should_delete_form(form):
                continue
            person, role = form.cleaned_data.get("person"), form.cleaned_data.get("role")
            if person is None or role is None:
                continue
            if (person.pk, role) in seen:
                form.add_error(
                    "person", gettext("This person already has this role in the session.")
                )
            seen.add((person.pk, role))


# Bounds on the forms a page may send (and the server build); far above any programme.
MOST_SESSIONS = 400
MOST_SPEAKERS = 60

SessionFormSet = forms.modelformset_factory(
    Session,
    form=SessionForm,
    formset=ExistingRowsFormSet,
    extra=0,
    can_delete=True,
    max_num=MOST_SESSIONS,
    absolute_max=MOST_SESSIONS,
    validate_max=True,
)
SpeakerFormSet = forms.modelformset_factory(
    Appearance,
    form=AppearanceForm,
    formset=AppearanceFormSet,
    extra=0,
    can_delete=True,
    max_num=MOST_SPEAKERS,
    absolute_max=MOST_SPEAKERS,
    validate_max=True,
)


class Labels(dict):
    """Per model, the names of the records chosen on the page: {model: {pk: label}}."""

    def __missing__(self, model: type[models.Model]) -> dict[str, str]:
        self[model] = labels = {}
        return labels

    def learn(self, records: Iterable[models.Model]) -> None:
        for record in records:
            self[type(record)][str(record.pk)] = str(record)

    def look_up(self, wanted: dict[type[models.Model], set[str]]) -> None:
        """One query per model for the chosen records not named yet (none when all are)."""
        for model, pks in wanted.items():
            missing = {
                int(pk) for pk in pks if pk.isascii() and pk.isdigit() and 0 < int(pk) <= LARGEST_ID
            }.difference(int(pk) for pk in self[model])
            if missing:
                self.learn(model.objects.filter(pk__in=missing))


@dataclass
class Day:
    day: datetime.date | None
    label: str
    cards: list = field(default_factory=list)


def programme_sessions(conference: Conference) -> models.QuerySet[Session]:
    return (
        Session.objects.filter(conference=conference)
        .in_programme_order()
        .prefetch_related(
            Prefetch("appearances", Appearance.objects.select_related("person")), "topics"
        )
    )


class ProgrammeEditor:
    """The page's forms: a form per session, each with a formset of its speakers."""

    def __init__(
        self,
        conference: Conference,
        sessions: list[Session],
        data=None,
        *,
        can_add: bool,
        can_delete: bool,
        can_add_people: bool,
    ) -> None:
        self.conference = conference
        self.labels = Labels()
        self.labels.learn(topic for session in sessions for topic in session.topics.all())
        self.labels.learn(
            appearance.person for session in sessions for appearance in session.appearances.all()
        )
        self.can_add, self.can_delete = can_add, can_delete
        self.speaker_kwargs = {"labels": self.labels, "can_add_people": can_add_people}
        self.sessions = SessionFormSet(
            data,
            prefix="sessions",
            queryset=Session.objects.none(),
            form_kwargs={"conference": conference, "labels": self.labels},
        )
        # The formset reads the sessions fetched above, with their speakers and topics.
        self.sessions._queryset = sessions
        self.sessions.can_delete = can_delete
        for form in self.sessions.forms:
            form.speakers = self.speaker_formset(form, data)
            if data is not None and form not in self.sessions.initial_forms:
                # A new session that only has speakers is still a session to check.
                form.empty_permitted = not form.speakers.has_changed()
        self.blank_session = self.blank_form(self.sessions, "__session__")
        self.blank_session.speakers = self.speaker_formset(self.blank_session, None)

    def speaker_formset(self, session_form: SessionForm, data) -> forms.BaseModelFormSet:
        session = session_form.instance
        speakers = SpeakerFormSet(
            data,
            prefix=f"{session_form.prefix}-speakers",
            queryset=Appearance.objects.none(),
            form_kwargs=self.speaker_kwargs,
        )
        speakers._queryset = list(session.appearances.all()) if session.pk else []
        speakers.can_delete = self.can_delete
        speakers.blank = self.blank_form(speakers, "__speaker__")
        return speakers

    @staticmethod
    def blank_form(formset: forms.BaseFormSet, placeholder: str) -> forms.Form:
        """The formset's empty form under a placeholder of its own, for the page's script to
        copy (speaker rows are nested in a session, each with its own placeholder)."""
        form = formset.form(
            auto_id=formset.auto_id,
            prefix=formset.add_prefix(placeholder),
            empty_permitted=True,
            use_required_attribute=False,
            **formset.get_form_kwargs(None),
            renderer=formset.renderer,
        )
        formset.add_fields(form, None)
        return form

    def forms_to_check(self) -> list[tuple[SessionForm, forms.BaseModelFormSet]]:
        return [
            (form, form.speakers)
            for form in self.sessions.forms
            if not self.sessions._should_delete_form(form)
        ]

    def is_valid(self) -> bool:
        valid = self.sessions.is_valid()
        for _form, speakers in self.forms_to_check():
            valid = speakers.is_valid() and valid
        if not self.can_add:
            for form in self.sessions.extra_forms:
                if form.has_changed():
                    form.add_error(None, gettext("You may not add sessions."))
                    valid = False
        return valid

    @transaction.atomic
    def save(self) -> None:
        for form in self.sessions.forms:
            if self.sessions._should_delete_form(form):
                if form.instance.pk is not None:
                    services.delete_session(session=form.instance)
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            session = self.save_session(form)
            for speaker in form.speakers.forms:
                self.save_speaker(session, speaker, form.speakers)

    def save_session(self, form: SessionForm) -> Session:
        values = {
            name: form.cleaned_data[name]
            for name in form.Meta.fields
            if name in services.SESSION_FIELDS
        }
        topics = form.cleaned_data["topics"]
        if form.instance.pk is None:
            return services.create_session(conference=self.conference, topics=topics, **values)
        if form.has_changed():
            services.update_session(
                session=form.instance,
                topics=topics if "topics" in form.changed_data else None,
                **values,
            )
        return form.instance

    def save_speaker(
        self, session: Session, form: AppearanceForm, formset: forms.BaseModelFormSet
    ) -> None:
        if formset._should_delete_form(form):
            if form.instance.pk is not None:
                services.delete_appearance(appearance=form.instance)
            return
        if not form.has_changed():
            return
        person = form.cleaned_data["person"] or services.create_speaker(
            name=form.cleaned_data["new_person_name"],
            affiliation=form.cleaned_data.get("new_person_affiliation"),
        )
        values = {name: form.cleaned_data[name] for name in services.APPEARANCE_FIELDS}
        if form.instance.pk is None:
            services.create_appearance(session=session, person=person, **values)
        else:
            services.update_appearance(appearance=form.instance, person=person, **values)

    def all_forms(self) -> Iterable[forms.Form]:
        for form in self.sessions.forms:
            yield form
            yield from form.speakers.forms

    def name_chosen_records(self) -> None:
        """Name, in one query per model, the records chosen in the sent forms."""
        wanted: dict[type[models.Model], set[str]] = {Person: set(), Topic: set()}
        wanted[Organisation] = set()
        for form in self.all_forms():
            for name, model in (
                ("topics", Topic),
                ("person", Person),
                ("new_person_affiliation", Organisation),
            ):
                if name in form.fields:
                    value = form[name].value()
                    values = value if isinstance(value, list | tuple) else [value]
                    wanted[model].update(str(v) for v in values if v not in (None, ""))
        self.labels.look_up(wanted)

    def days(self) -> list[Day]:
        """The session forms by day: every day of the conference, then any other day sent."""
        return group_by_day(self.conference, self.sessions.forms, form_day)

    @property
    def media(self) -> forms.Media:
        return self.sessions.media + self.blank_session.speakers.media


def form_day(form: SessionForm) -> datetime.date | None:
    try:
        return form.fields["day"].to_python(form["day"].value())
    except ValidationError:
        return None


def group_by_day(conference: Conference, items: Iterable, day_of) -> list[Day]:
    days = {day: Day(day, day_label(day)) for day in conference.days}
    others = Day(None, gettext("Outside the conference’s dates"))
    for item in items:
        days.get(day_of(item), others).cards.append(item)
    listed = [day for day in days.values() if day.cards or len(days) <= MOST_DAYS_TO_LIST]
    return listed + ([others] if others.cards else [])
