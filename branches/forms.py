from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from branches.models import Member, Membership, Organization, Position, RoleAssignment, User
from branches.selectors import search_organizations, search_users
from partydocs.models import CongressTerm
from vietnamese.forms import DateField
from web.forms import SearchSelect


def kind_choices() -> list:
    """The kinds of today first; the pre-2025 ones apart, for entering history."""
    kinds = Organization.Kind
    return [
        ("", "---------"),
        (
            _("Tổ chức đảng hiện nay (từ 1/7/2025)"),
            [(k.value, k.label) for k in kinds if k not in Organization.HISTORICAL_KINDS],
        ),
        (
            _("Trước 1/7/2025 (lưu lịch sử)"),
            [(k.value, k.label) for k in kinds if k in Organization.HISTORICAL_KINDS],
        ),
    ]


class OrganizationForm(forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()

    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "kind",
            "code",
            "place_name",
            "issuer_code",
            "document_name",
            "standing_committee",
            "advising_body",
            "advising_head",
        ]


class OrganizationEditForm(OrganizationForm):
    parent = forms.ModelChoiceField(
        widget=SearchSelect(search_organizations),
        label=_("Trực thuộc"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Đổi để chuyển tổ chức (cùng các tổ chức trực thuộc) sang cấp trên khác."),
    )

    def __init__(self, *args, parent_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            parent_choices if parent_choices is not None else Organization.objects.none()
        )
        self.fields["parent"].label_from_instance = lambda org: (
            f"{'— ' * (org.depth - 1)}{org.name}"
        )


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm"), required=False)
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Tất cả"))] + Organization.Kind.choices
    )
    active = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), ("1", _("Đang hoạt động")), ("0", _("Ngừng hoạt động"))],
    )


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "full_name",
            "gender",
            "birth_date",
            "card_number",
            "join_date",
            "official_date",
            "status",
        ]
        field_classes = {
            "birth_date": DateField,
            "join_date": DateField,
            "official_date": DateField,
        }


class MemberCreateForm(MemberForm):
    branch = forms.ModelChoiceField(
        label=_("Chi bộ"),
        queryset=Organization.objects.none(),
        widget=SearchSelect(search_organizations),
    )
    start_date = DateField(
        label=_("Sinh hoạt tại chi bộ từ ngày"), required=False, help_text=_("Để trống: hôm nay.")
    )

    class Meta(MemberForm.Meta):
        fields = [
            "full_name",
            "gender",
            "birth_date",
            "card_number",
            "join_date",
            "official_date",
            "status",
            "branch",
        ]

    def __init__(self, *args, branch_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branch_choices


class MemberFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm"), required=False, help_text=_("Họ tên hoặc số thẻ, không cần dấu.")
    )
    organization = forms.ModelChoiceField(
        label=_("Thuộc tổ chức"),
        required=False,
        queryset=Organization.objects.none(),
        widget=SearchSelect(search_organizations),
    )
    status = forms.ChoiceField(
        label=_("Đảng viên"), required=False, choices=[("", _("Tất cả"))] + Member.Status.choices
    )
    active = forms.ChoiceField(
        label=_("Sinh hoạt"),
        required=False,
        choices=[("1", _("Đang sinh hoạt")), ("0", _("Đã thôi sinh hoạt")), ("", _("Tất cả"))],
    )

    def __init__(self, *args, organization_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organization_choices
        self.fields["organization"].label_from_instance = lambda org: (
            f"{'— ' * (org.depth - 1)}{org.name}"
        )


class TransferForm(forms.Form):
    to_branch = forms.ModelChoiceField(
        label=_("Chuyển đến chi bộ"),
        queryset=Organization.objects.none(),
        widget=SearchSelect(search_organizations),
    )
    date = DateField(label=_("Ngày chuyển"))
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=255)

    def __init__(self, *args, branch_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_branch"].queryset = branch_choices


class LeaveForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Lý do"),
        choices=[c for c in Membership.EndReason.choices if c[0] != Membership.EndReason.TRANSFER],
    )
    date = DateField(label=_("Từ ngày"))
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=255)


class PositionForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Tại tổ chức"),
        queryset=Organization.objects.none(),
        widget=SearchSelect(search_organizations),
    )
    title = forms.ChoiceField(label=_("Chức vụ"), choices=Position.Title.choices)
    start_date = DateField(label=_("Từ ngày"))

    def __init__(self, *args, organization_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organization_choices


class EndPositionForm(forms.Form):
    end_date = DateField(label=_("Kết thúc từ ngày"))


class RoleAssignForm(forms.Form):
    """Give a role to an existing account, or create the account on the spot."""

    role = forms.ChoiceField(label=_("Vai trò"), choices=RoleAssignment.Role.choices)
    user = forms.ModelChoiceField(
        label=_("Tài khoản có sẵn"),
        queryset=User.objects.none(),
        required=False,
        widget=SearchSelect(search_users),
    )
    username = forms.CharField(
        label=_("Hoặc tạo tài khoản mới: tên đăng nhập"), required=False, max_length=150
    )
    full_name = forms.CharField(label=_("Họ và tên"), required=False, max_length=150)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    password = forms.CharField(
        label=_("Mật khẩu ban đầu"),
        required=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Để trống: người dùng tự đặt mật khẩu qua thư điện tử “Quên mật khẩu”."),
    )

    def __init__(self, *args, user_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = user_choices
        self.fields["user"].label_from_instance = lambda u: f"{u.full_name} ({u.username})"

    def clean(self):
        data = super().clean()
        if data.get("user") and data.get("username"):
            raise forms.ValidationError(
                _("Chọn một tài khoản có sẵn hoặc tạo tài khoản mới, không cả hai.")
            )
        if not data.get("user"):
            if not data.get("username"):
                raise forms.ValidationError(
                    _("Hãy chọn một tài khoản có sẵn hoặc nhập tên đăng nhập mới.")
                )
            if User.objects.filter(username__iexact=data["username"]).exists():
                self.add_error("username", _("Tên đăng nhập này đã được dùng."))
            if not data.get("full_name"):
                self.add_error("full_name", _("Hãy nhập họ và tên cho tài khoản mới."))
            if data.get("password"):
                try:
                    # Against the account being made: not its user name, name or address.
                    password_validation.validate_password(
                        data["password"],
                        User(
                            username=data.get("username", ""),
                            full_name=data.get("full_name", ""),
                            email=data.get("email", ""),
                        ),
                    )
                except forms.ValidationError as error:
                    self.add_error("password", error)
            elif not data.get("email"):
                self.add_error(
                    "email", _("Không đặt mật khẩu thì cần thư điện tử để người dùng tự đặt.")
                )
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Tệp Excel (.xlsx) hoặc CSV"),
        help_text=_("Dòng đầu là tên cột. Tải tệp mẫu để xem các cột."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )


class CongressTermForm(forms.ModelForm):
    start_date = DateField(
        label=_("Ngày bắt đầu"), help_text=_("Ngày đại hội, hoặc ngày thành lập.")
    )

    class Meta:
        model = CongressTerm
        fields = ["origin", "start_date", "label"]
        help_texts = {
            "label": _(
                "Như văn bản ghi, ví dụ 2025–2030 (cấp ủy lâm thời sau hợp nhất: nhiệm kỳ đang phụ trách, ví dụ 2020–2025)."
            )
        }
