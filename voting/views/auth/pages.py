"""Signing in and out, registration, password reset."""
import smtplib

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from limits import parse_many

from voting.core.access import login_required, public
from voting.extensions import db, limiter
from voting.forms.auth import (
    ConfirmRegistrationForm,
    ForgotPasswordForm,
    LoginForm,
    RegistrationForm,
    SetPasswordForm,
)
from voting.core.login_sessions import sign_in
from voting.core.mail import can_send_mail, mail_configured, mail_to_log, send_mail
from voting.core.formatting import format_datetime_vn
from voting.operations.accounts import (
    AccountLocked,
    InvalidToken,
    authenticate,
    find_user_by_email,
    issue_password_token,
    lockout_notices,
    normalise_email,
    reset_password_with_token,
    user_for_token,
)
from voting.core.mail import deliver_emails
from voting.operations.registration import (
    confirm_registration as confirm_pending_registration,
    confirmation_hours,
    pending_registration,
    request_registration,
)
from voting.operations.sessions import end_session
from voting.core.security import public_url, safe_next



def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _home_for_user():
    return url_for("account.dashboard")


@public
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_home_for_user())
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data, client=request.remote_addr)
        except AccountLocked as locked:
            flash(_("Đăng nhập từ địa chỉ mạng này đang tạm bị chặn vì nhập sai mật khẩu nhiều lần. Vui lòng "
                    "thử lại sau %(time)s, hoặc dùng \"Quên mật khẩu\".", time=format_datetime_vn(locked.until)),
                  "error")
        else:
            if user is not None:
                sign_in(user, remember=form.remember.data)
            # A wrong password counts (and may hold this address off); a right one starts a session.
            db.session.commit()
            if user is not None:
                return redirect(safe_next(form.next.data, _home_for_user()))
            current_app.logger.info("failed login for %r from %s", form.email.data, request.remote_addr)
            _mail_lockout_notice(form.email.data)
            flash(_("E-mail hoặc mật khẩu không đúng."), "error")
    # The password is never sent back; the e-mail the user typed is.
    form.password.data = ""
    return render_template("auth/login.html", form=form)


def _mail_lockout_notice(email):
    """E-mail the owner the news of a lock that has just happened (the inbox already holds it)."""
    user = find_user_by_email(email) if mail_configured() else None
    if user is not None:
        deliver_emails(lockout_notices(user))


@login_required
def logout():
    """End this browser's session on the server too: its cookies, copied or not, sign nobody in again."""
    end_session(current_user.signed_in_session)
    db.session.commit()
    logout_user()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("public.index"))


@public
@limiter.limit(_login_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(_home_for_user())
    form = RegistrationForm()
    can_register = can_send_mail()
    if can_register and form.validate_on_submit():
        email = normalise_email(form.email.data)
        if _registration_mail_allowed(email):
            outcome = request_registration(email, form.password.data, form.phone.data, form.full_name.data)
            db.session.commit()
            _mail_registration(outcome)
        # The same answer whether or not the address has an account (or had its share of e-mails).
        flash(_("Chúng tôi đã gửi thư tới %(email)s. Hãy mở liên kết trong thư (trong vòng %(hours)s giờ) để "
                "hoàn tất đăng ký. Nếu địa chỉ này đã có tài khoản, thư sẽ hướng dẫn bạn đăng nhập.",
                email=email, hours=confirmation_hours()), "info")
        if mail_to_log():
            flash(_("Môi trường phát triển: chưa cấu hình máy chủ e-mail, thư được ghi vào nhật ký (log) "
                    "của máy chủ ứng dụng."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/register.html", form=form, can_register=can_register)


def _registration_mail_allowed(email):
    """At most ``REGISTRATION_MAIL_LIMIT`` registration e-mails to one address, whoever asks."""
    if not current_app.config.get("RATELIMIT_ENABLED", True):
        return True
    try:
        hits = [limiter.limiter.hit(item, "registration-mail", email)
                for item in parse_many(current_app.config["REGISTRATION_MAIL_LIMIT"])]
    except Exception:  # noqa: BLE001 - a rate-limit store that is down must not stop registration
        current_app.logger.exception("registration mail budget unavailable; sending anyway")
        return True
    return all(hits)


def _mail_registration(outcome):
    """A confirmation link for a new address; for one with an account, a note to its owner."""
    if outcome.existing is not None:
        subject = _("Đăng ký tài khoản CNNT tiêu biểu bằng e-mail của bạn")
        body = render_template("auth/register_exists_email.txt", user=outcome.existing,
                               login_link=public_url("auth.login"), forgot_link=public_url("auth.forgot_password"))
    else:
        subject = _("Xác nhận đăng ký tài khoản CNNT tiêu biểu")
        body = render_template("auth/register_confirm_email.txt", hours=confirmation_hours(),
                               link=public_url("auth.confirm_registration", token=outcome.token))
    try:
        send_mail(outcome.email, subject, body)
    except (smtplib.SMTPException, OSError):
        # A 500 here would tell a stranger something; the person can register again.
        current_app.logger.exception("could not send the registration e-mail")


@public
@limiter.limit(_login_limit, methods=["POST"])
def confirm_registration(token):
    """The link in the confirmation e-mail: a page with a button (mail scanners that open links confirm nothing)."""
    try:
        pending = pending_registration(token)
    except InvalidToken:
        return render_template("auth/confirm_invalid.html"), 404
    form = ConfirmRegistrationForm()
    if form.validate_on_submit():
        user = confirm_pending_registration(token)
        if current_user.is_authenticated:
            end_session(current_user.signed_in_session)
        sign_in(user)
        db.session.commit()
        flash(_("Đăng ký thành công. Chào mừng bạn đến với CNNT tiêu biểu!"), "success")
        return redirect(url_for("producer.dashboard"))
    return render_template("auth/confirm_registration.html", form=form, email=pending.email)


@public
@limiter.limit(_login_limit, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    can_mail = mail_configured()
    if can_mail and form.validate_on_submit():
        user = find_user_by_email(form.email.data)
        if user is not None and user.active:
            token = issue_password_token(None, user, purpose="reset")
            link = public_url("auth.reset_password", token=token)
            db.session.commit()
            try:
                send_mail(user.email, _("Đặt lại mật khẩu CNNT tiêu biểu"),
                          render_template("auth/reset_email.txt", user=user, link=link))
            except (smtplib.SMTPException, OSError):
                # A 500 here would also tell a stranger that the address has an account.
                current_app.logger.exception("could not send the reset e-mail to user %s", user.id)
        # Same answer whether or not the address has an account.
        flash(_("Nếu e-mail này có tài khoản, chúng tôi đã gửi liên kết đặt lại mật khẩu."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form, can_mail=can_mail)


@public
@limiter.limit(_login_limit, methods=["POST"])
def reset_password(token):
    try:
        reset = user_for_token(token)
    except InvalidToken:
        return render_template("auth/reset_invalid.html"), 404
    form = SetPasswordForm(account_email=reset.user.email)
    if form.validate_on_submit():
        reset_password_with_token(token, form.password.data)
        db.session.commit()
        logout_user()
        flash(_("Đã lưu mật khẩu mới. Hãy đăng nhập."), "success")
        return redirect(url_for("auth.login"))
    return render_template("auth/reset_password.html", form=form, purpose=reset.purpose, user=reset.user)


# When the rate limit trips on a POST, the error handler shows the same form
# again with what was typed (never the passwords) instead of a bare error page.
login.rerender_when_limited = lambda: render_template("auth/login.html", form=LoginForm())
register.rerender_when_limited = lambda: render_template(
    "auth/register.html", form=RegistrationForm(), can_register=can_send_mail())
forgot_password.rerender_when_limited = lambda: render_template(
    "auth/forgot_password.html", form=ForgotPasswordForm(), can_mail=mail_configured())
