from django import forms
from django.utils.translation import gettext_lazy as _

from criteria.rules import Level

LEVEL_CHOICES = [("", "—"), *Level.choices]


class RatingsForm(forms.Form):
    """One column of a branch's ratings: the level of each member."""

    def __init__(self, *args, rows, column: str, **kwargs):
        super().__init__(*args, **kwargs)
        field_name = {
            "self": "self_level",
            "proposed": "proposed_level",
            "decided": "decided_level",
        }[column]
        self.rows = []
        for member, rating in rows:
            name = f"level_{member.pk}"
            self.fields[name] = forms.ChoiceField(
                label=member.full_name,
                choices=LEVEL_CHOICES,
                required=False,
                initial=getattr(rating, field_name) if rating else "",
            )
            self.rows.append((member, rating, self[name]))

    def levels(self) -> dict[int, str]:
        return {member.pk: self.cleaned_data[field.name] for member, _rating, field in self.rows}


class ExceptionForm(forms.Form):
    reason = forms.CharField(label=_("Lý do ngoại lệ"), widget=forms.Textarea(attrs={"rows": 3}))
