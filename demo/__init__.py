from . import account_dispute_demo_setup
