from . import account_credit_insurance_policy
from . import account_credit_insurance_cover
from . import account_move_credit_insurance
from . import account_move_credit_insurance_alert
from . import account_move_credit_insurance_declaration
from . import res_partner_credit_insurance
