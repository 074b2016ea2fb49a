from . import account_late_payment_rate
from . import res_partner_late_charge
from . import account_move_late_payment
from . import account_move_late_charge
from . import account_move_late_charge_invoice
