"""Forms for signing in, registering and passwords."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from voting.forms.fields import normalise_phone, strip_nfc, strong_password, vietnamese_phone

_REQUIRED = _l("Vui lòng điền mục này.")
_EMAIL = _l("Địa chỉ e-mail không hợp lệ.")


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail"), filters=[strip_nfc],
                       validators=[DataRequired(_REQUIRED), Length(max=254), Email(_EMAIL)])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_REQUIRED), Length(max=256)])
    remember = BooleanField(_l("Ghi nhớ đăng nhập trên máy này"))
    next = HiddenField()
    submit = SubmitField(_l("Đăng nhập"))


class RegistrationForm(FlaskForm):
    full_name = StringField(_l("Họ và tên người đăng ký"), filters=[strip_nfc],
                            validators=[DataRequired(_REQUIRED), Length(max=200)])
    email = EmailField(_l("E-mail"), filters=[strip_nfc],
                       validators=[DataRequired(_REQUIRED), Length(max=254), Email(_EMAIL)])
    phone = StringField(_l("Số điện thoại"), filters=[normalise_phone],
                        validators=[DataRequired(_REQUIRED), Length(max=20), vietnamese_phone])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_REQUIRED), strong_password("email")])
    password2 = PasswordField(_l("Nhập lại mật khẩu"), validators=[
        DataRequired(_REQUIRED), EqualTo("password", _l("Hai mật khẩu không khớp nhau."))])
    submit = SubmitField(_l("Đăng ký"))
    # No "this e-mail is taken" check: the form must not tell strangers which addresses have accounts
    # (voting/operations/registration.py e-mails the owner instead).


class ConfirmRegistrationForm(FlaskForm):
    submit = SubmitField(_l("Xác nhận đăng ký"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail"), filters=[strip_nfc],
                       validators=[DataRequired(_REQUIRED), Length(max=254), Email(_EMAIL)])
    submit = SubmitField(_l("Gửi liên kết đặt lại mật khẩu"))


class SetPasswordForm(FlaskForm):
    password = PasswordField(_l("Mật khẩu mới"), validators=[DataRequired(_REQUIRED), strong_password()])
    password2 = PasswordField(_l("Nhập lại mật khẩu mới"), validators=[
        DataRequired(_REQUIRED), EqualTo("password", _l("Hai mật khẩu không khớp nhau."))])
    submit = SubmitField(_l("Lưu mật khẩu"))

    def __init__(self, *args, account_email="", **kwargs):
        super().__init__(*args, **kwargs)
        self.account_email = account_email


class ChangePasswordForm(SetPasswordForm):
    current_password = PasswordField(_l("Mật khẩu hiện tại"), validators=[DataRequired(_REQUIRED)])

