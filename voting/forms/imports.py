"""The upload form of a province's paper nomination list (the past certificates' is :mod:`certificates.forms`)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import SelectField, SubmitField
from wtforms.validators import InputRequired


class ImportNominationsForm(FlaskForm):
    """A province's danh sách trích ngang: the province it comes from, and the .xlsx file.

    The view sets ``province.choices`` to the provinces the round takes nominations from.
    """

    province = SelectField(_l("Tỉnh, thành phố đề cử"), validate_choice=True,
                           validators=[InputRequired(_l("Hãy chọn tỉnh, thành phố gửi danh sách."))])
    file = FileField(_l("Tệp Excel (.xlsx)"), validators=[FileRequired(_l("Hãy chọn tệp cần nhập."))])
    submit = SubmitField(_l("Kiểm tra và nhập"))
