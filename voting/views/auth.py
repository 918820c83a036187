"""Signing in and out, registration, password reset."""
import smtplib

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from voting.access import login_required, public
from voting.extensions import db, limiter
from voting.forms.auth import ForgotPasswordForm, LoginForm, RegistrationForm, SetPasswordForm
from voting.mail import mail_configured, send_mail
from voting.formatting import format_datetime_vn
from voting.operations.accounts import (
    AccountLocked,
    InvalidToken,
    authenticate,
    find_user_by_email,
    issue_password_token,
    lockout_notices,
    register_producer,
    reset_password_with_token,
    user_for_token,
)
from voting.operations.notifications import deliver_emails
from voting.security import public_url, safe_next

blueprint = Blueprint("auth", __name__)


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


def _home_for_user():
    return url_for("account.dashboard")


@blueprint.route("/login", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(_home_for_user())
    form = LoginForm(next=request.args.get("next", ""))
    if form.validate_on_submit():
        try:
            user = authenticate(form.email.data, form.password.data)
        except AccountLocked as locked:
            flash(_("Tài khoản đang tạm khóa vì nhập sai mật khẩu nhiều lần. Vui lòng thử lại sau "
                    "%(time)s, hoặc liên hệ quản trị viên.", time=format_datetime_vn(locked.until)), "error")
        else:
            db.session.commit()  # a wrong password counts (and may lock the account); a right one resets
            if user is not None:
                login_user(user, remember=form.remember.data)
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


@blueprint.post("/logout")
@login_required
def logout():
    logout_user()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("public.index"))


@blueprint.route("/register", methods=["GET", "POST"])
@public
@limiter.limit(_login_limit, methods=["POST"])
def register():
    if current_user.is_authenticated:
        return redirect(_home_for_user())
    form = RegistrationForm()
    if form.validate_on_submit():
        user = register_producer(form.email.data, form.password.data, form.phone.data, form.full_name.data)
        db.session.commit()
        login_user(user)
        flash(_("Đăng ký thành công. Chào mừng bạn đến với CNNT Tiêu biểu!"), "success")
        return redirect(url_for("producer.dashboard"))
    return render_template("auth/register.html", form=form)


@blueprint.route("/forgot-password", methods=["GET", "POST"])
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
                send_mail(user.email, _("Đặt lại mật khẩu CNNT Tiêu biểu"),
                          render_template("auth/reset_email.txt", user=user, link=link))
            except (smtplib.SMTPException, OSError):
                # A 500 here would also tell a stranger that the address has an account.
                current_app.logger.exception("could not send the reset e-mail to user %s", user.id)
        # Same answer whether or not the address has an account.
        flash(_("Nếu e-mail này có tài khoản, chúng tôi đã gửi liên kết đặt lại mật khẩu."), "info")
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form, can_mail=can_mail)


@blueprint.route("/reset-password/<token>", methods=["GET", "POST"])
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
register.rerender_when_limited = lambda: render_template("auth/register.html", form=RegistrationForm())
forgot_password.rerender_when_limited = lambda: render_template(
    "auth/forgot_password.html", form=ForgotPasswordForm(), can_mail=mail_configured())
