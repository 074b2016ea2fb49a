from . import account_dispute_report
from . import account_dispute_file
from . import account_dispute_dashboard
from . import account_payment_delay_report
from . import account_payment_delay_items
from . import account_credit_insurance_declaration
