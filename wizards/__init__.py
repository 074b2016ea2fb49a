from . import account_dispute_open_wizard
from . import account_dispute_resolve_wizard
from . import account_dunning_run_wizard
from . import account_dispute_gesture_wizard
from . import account_dispute_gesture_wizard_line
from . import account_dispute_payment_plan_wizard
from . import account_dispute_payment_plan_wizard_line
from . import account_dispute_referral_wizard
