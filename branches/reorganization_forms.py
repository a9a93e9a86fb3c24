"""The forms of a reorganization (branches.reorganization): what every change asks (the date and
the decision), then what each kind asks. A form builds the `Change` it describes."""

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.forms import kind_choices
from branches.models import Member, Organization, Reorganization
from branches.reorganization import RENAMED_FIELDS, Change, NewOrganization, Question
from branches.selectors import search_organizations
from vietnamese.forms import DateField
from web.forms import ObjectsField, SearchSelect

Kind = Reorganization.Kind


def _indented(organization: Organization) -> str:
    return f"{'— ' * (organization.depth - 1)}{organization.name}"


class ReorganizationForm(forms.Form):
    effective_date = DateField(label=_("Ngày có hiệu lực"))
    decision = forms.CharField(
        label=_("Quyết định"),
        max_length=300,
        help_text=_(
            "Số, ngày và cơ quan ban hành, ví dụ: Quyết định số 1234-QĐ/TU ngày 30/6/2025."
        ),
    )
    reason = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    kind = ""

    def __init__(self, *args, organization: Organization, managed, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.managed = managed
        self.questions: list[Question] = list(questions)
        for question in self.questions:
            self.fields[question.key] = forms.TypedMultipleChoiceField(
                label=question.label,
                choices=question.choices,
                coerce=int,
                required=False,
                help_text=question.help_text,
                widget=forms.CheckboxSelectMultiple,
            )
        if any(q.key == "close_plans" for q in self.questions):
            self.fields["close_reason"] = forms.CharField(
                label=_("Lý do kết thúc kế hoạch"), required=False
            )

    def change(self) -> Change:
        data = self.cleaned_data
        return Change(
            kind=self.kind,
            sources=[self.organization],
            effective_date=data["effective_date"],
            decision=data["decision"],
            reason=data.get("reason", ""),
            close_plans=list(data.get("close_plans") or []),
            close_reason=data.get("close_reason", ""),
        )


class _NewFields(forms.Form):
    """The fields of an organization to found."""

    def add_new_fields(self, prefix: str, *, required: bool, label) -> None:
        self.fields[f"{prefix}name"] = forms.CharField(
            label=label, max_length=255, required=required
        )
        self.fields[f"{prefix}code"] = forms.CharField(
            label=_("Mã"), max_length=40, required=required
        )

    def new_organization(self, prefix: str, *, parent: Organization, kind: str, **extra):
        data = self.cleaned_data
        if not data.get(f"{prefix}name"):
            return None
        return NewOrganization(
            parent=parent,
            code=data[f"{prefix}code"],
            name=data[f"{prefix}name"],
            kind=kind,
            place_name=extra.get("place_name", ""),
            issuer_code=extra.get("issuer_code", ""),
            short_name=extra.get("short_name", ""),
            document_name=extra.get("document_name", ""),
        )


class MergeForm(ReorganizationForm, _NewFields):
    kind = Kind.MERGE
    others = ObjectsField(
        label=_("Cùng hợp nhất với"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Các tổ chức khác cùng hợp nhất (cùng là chi bộ, hoặc cùng là đảng bộ)."),
    )
    into = forms.ChoiceField(
        label=_("Thành"),
        choices=[
            ("new", _("Một tổ chức mới (hợp nhất)")),
            ("existing", _("Một tổ chức đang có (sáp nhập vào)")),
        ],
        initial="new",
        widget=forms.RadioSelect,
    )
    target = forms.ModelChoiceField(
        label=_("Tổ chức nhận sáp nhập"),
        queryset=Organization.objects.none(),
        required=False,
        widget=SearchSelect(search_organizations),
    )
    new_kind = forms.ChoiceField(label=_("Loại tổ chức mới"), required=False)
    new_parent = forms.ModelChoiceField(
        label=_("Tổ chức mới trực thuộc"),
        queryset=Organization.objects.none(),
        required=False,
        widget=SearchSelect(search_organizations),
    )
    new_place_name = forms.CharField(label=_("Địa danh"), max_length=100, required=False)
    new_issuer_code = forms.CharField(
        label=_("Ký hiệu cơ quan ban hành"), max_length=20, required=False
    )
    new_short_name = forms.CharField(label=_("Tên viết tắt"), max_length=100, required=False)

    field_order = [
        "others",
        "into",
        "target",
        "new_name",
        "new_code",
        "new_kind",
        "new_parent",
        "new_place_name",
        "new_issuer_code",
        "new_short_name",
    ]

    def __init__(self, *args, organization, managed, **kwargs):
        super().__init__(*args, organization=organization, managed=managed, **kwargs)
        same = managed.filter(is_active=True).order_by("path")
        same = (
            same.filter(kind=Organization.Kind.BRANCH)
            if organization.is_branch
            else same.exclude(kind=Organization.Kind.BRANCH)
        )
        self.fields["others"].queryset = same.exclude(pk=organization.pk)
        self.fields["others"].label_from_instance = _indented
        self.fields["target"].queryset = same.exclude(pk=organization.pk)
        self.fields["target"].label_from_instance = _indented
        committees = managed.filter(is_active=True).exclude(kind=Organization.Kind.BRANCH)
        self.fields["new_parent"].queryset = committees.order_by("path")
        self.fields["new_parent"].label_from_instance = _indented
        self.fields["new_kind"].choices = kind_choices()
        self.fields["new_kind"].initial = organization.kind
        self.add_new_fields("new_", required=False, label=_("Tên tổ chức mới"))
        self.order_fields(self.field_order)

    def clean(self):
        data = super().clean()
        if data.get("into") == "existing" and not data.get("target"):
            self.add_error("target", _("Hãy chọn tổ chức nhận sáp nhập."))
        if data.get("into") == "new":
            for name in ["new_name", "new_code", "new_kind", "new_parent"]:
                if not data.get(name):
                    self.add_error(name, _("Bắt buộc khi hợp nhất thành tổ chức mới."))
        return data

    def sources(self) -> list[Organization]:
        others = list(self.cleaned_data.get("others") or [])
        return [self.organization, *[o for o in others if o.pk != self.organization.pk]]

    def change(self) -> Change:
        change = super().change()
        data = self.cleaned_data
        change.sources = self.sources()
        if data["into"] == "existing":
            change.target = data["target"]
        else:
            change.new = [
                self.new_organization(
                    "new_",
                    parent=data["new_parent"],
                    kind=data["new_kind"],
                    place_name=data.get("new_place_name", ""),
                    issuer_code=data.get("new_issuer_code", ""),
                    short_name=data.get("new_short_name", ""),
                )
            ]
        return change


SPLIT_PARTS = 3


class SplitForm(ReorganizationForm, _NewFields):
    kind = Kind.SPLIT

    def __init__(self, *args, organization, managed, **kwargs):
        super().__init__(*args, organization=organization, managed=managed, **kwargs)
        for n in range(1, SPLIT_PARTS + 1):
            self.add_new_fields(
                f"part{n}_",
                required=n <= 2,
                label=_("Tổ chức thứ %(n)s — tên") % {"n": n},
            )
        parts = [(str(n - 1), _("Tổ chức thứ %(n)s") % {"n": n}) for n in range(1, SPLIT_PARTS + 1)]
        select = forms.Select(attrs={"class": "form-select form-select-sm"})
        self.assigned = []
        for child in Organization.objects.get_children(organization).filter(is_active=True):
            self.fields[f"o{child.pk}"] = forms.TypedChoiceField(
                label=child.name, choices=parts, coerce=int, widget=select
            )
            self.assigned.append(f"o{child.pk}")
        if organization.is_branch:
            for member in Member.objects.filter(branch=organization, is_active=True).order_by(
                "sort_key", "pk"
            ):
                self.fields[f"m{member.pk}"] = forms.TypedChoiceField(
                    label=member.full_name, choices=parts, coerce=int, widget=select
                )
                self.assigned.append(f"m{member.pk}")
        # The parts first, then when and under which decision.
        self.order_fields(
            [f"part{n}_{f}" for n in range(1, SPLIT_PARTS + 1) for f in ("name", "code")]
        )

    def change(self) -> Change:
        change = super().change()
        source = self.organization
        parent = Organization.objects.get_parent(source)
        for n in range(1, SPLIT_PARTS + 1):
            new = self.new_organization(
                f"part{n}_",
                parent=parent,
                kind=source.kind,
                place_name=source.place_name,
                issuer_code=source.issuer_code,
            )
            if new is not None:
                change.new.append(new)
        change.assignments = {key: self.cleaned_data[key] for key in self.assigned}
        return change


class RenameForm(ReorganizationForm):
    kind = Kind.RENAME
    name = forms.CharField(label=_("Tên mới"), max_length=255)
    short_name = forms.CharField(label=_("Tên viết tắt"), max_length=100, required=False)
    document_name = forms.CharField(
        label=_("Tên cơ quan trên văn bản"), max_length=255, required=False
    )
    issuer_code = forms.CharField(
        label=_("Ký hiệu cơ quan ban hành"), max_length=20, required=False
    )
    place_name = forms.CharField(label=_("Địa danh"), max_length=100, required=False)

    def __init__(self, *args, organization, managed, **kwargs):
        kwargs.setdefault("initial", {}).update(
            {name: getattr(organization, name) for name in RENAMED_FIELDS}
        )
        super().__init__(*args, organization=organization, managed=managed, **kwargs)

    def change(self) -> Change:
        change = super().change()
        change.names = {name: self.cleaned_data.get(name, "") for name in RENAMED_FIELDS}
        return change


class MoveForm(ReorganizationForm):
    kind = Kind.MOVE
    parent = forms.ModelChoiceField(
        label=_("Chuyển sang trực thuộc"),
        queryset=Organization.objects.none(),
        widget=SearchSelect(search_organizations),
    )

    def __init__(self, *args, organization, managed, **kwargs):
        super().__init__(*args, organization=organization, managed=managed, **kwargs)
        self.fields["parent"].queryset = (
            managed.filter(is_active=True)
            .exclude(kind=Organization.Kind.BRANCH)
            .exclude(path__startswith=organization.path)
            .order_by("path")
        )
        self.fields["parent"].label_from_instance = _indented
        self.order_fields(["parent"])

    def change(self) -> Change:
        change = super().change()
        change.parent = self.cleaned_data["parent"]
        return change


FORMS = {Kind.MERGE: MergeForm, Kind.SPLIT: SplitForm, Kind.RENAME: RenameForm, Kind.MOVE: MoveForm}
