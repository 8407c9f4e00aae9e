from referrals.models.referrals import Referral, ReferralEvent
from referrals.models.resources import Category, Resource

__all__ = ["Category", "Referral", "ReferralEvent", "Resource"]
