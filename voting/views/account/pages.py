"""Pages every signed-in account has: its home, its password and its signed-in sessions."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user

from voting.core.access import login_required
from voting.extensions import db
from voting.forms.auth import ChangePasswordForm
from sqlalchemy import select

from voting.forms.admin import ReasonForm
from voting.core.login_sessions import sign_in
from voting.models import Notification, Role
from voting.operations.notifications import mark_read
from voting.operations.accounts import change_password
from voting.operations.sessions import live_sessions, sign_out_everywhere
from voting.core.passwords import verify_password


ROLE_HOME = {
    Role.ADMIN: "admin.index",
    Role.ORGANISER: "organiser.dashboard",
    Role.JUROR: "jury.dashboard",
    Role.PRODUCER: "producer.dashboard",
}


@login_required
def dashboard():
    """Send each account to the home page of its role."""
    return redirect(url_for(ROLE_HOME[Role(current_user.role)]))


@login_required
def password():
    form = ChangePasswordForm(account_email=current_user.email)
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current_password.data):
            form.current_password.errors.append(_("Mật khẩu hiện tại không đúng."))
        else:
            remembered = current_user.signed_in_session.remember
            change_password(current_user, form.password.data)
            # Every session has ended: this browser gets a new one, the others are out.
            sign_in(current_user, remember=remembered)
            db.session.commit()
            flash(_("Đã đổi mật khẩu. Các phiên đăng nhập khác đã bị đăng xuất."), "success")
            return redirect(url_for("account.dashboard"))
    return render_template("account/password.html", form=form)


@login_required
def sessions():
    """Phiên đăng nhập: where the account is signed in, this browser marked; and "sign out everywhere"."""
    return render_template("account/sessions.html", sessions=live_sessions(current_user),
                           current=current_user.signed_in_session, action_form=ReasonForm(formdata=None))


@login_required
def end_all_sessions():
    if not ReasonForm().validate_on_submit():
        abort(400)
    sign_out_everywhere(current_user)
    db.session.commit()
    logout_user()
    flash(_("Đã đăng xuất khỏi mọi thiết bị. Hãy đăng nhập lại trên thiết bị bạn dùng."), "success")
    return redirect(url_for("auth.login"))


@login_required
def inbox():
    """Hộp thư: messages about one's applications, scoring reminders, ..."""
    notes = db.session.scalars(select(Notification).where(Notification.user_id == current_user.id)
                               .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(200)).all()
    return render_template("account/inbox.html", notes=notes, action_form=ReasonForm(formdata=None))


@login_required
def inbox_read():
    if not ReasonForm().validate_on_submit():
        abort(400)
    mark_read(current_user)
    db.session.commit()
    return redirect(url_for("account.inbox"))
