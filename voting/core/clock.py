"""Vietnam's calendar date: deadlines and windows are in Asia/Ho_Chi_Minh."""
from datetime import datetime
from zoneinfo import ZoneInfo

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def today_vn():
    return datetime.now(VIETNAM).date()
