# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
{
    "name": "Customer Disputes and Dunning",
    "summary": "Customer dispute files (litiges) that suspend dunning and due dates",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/account-dispute/account_dispute",
    "author": "account_dispute contributors",
    "license": "LGPL-3",
    "development_status": "Alpha",
    "depends": ["account", "mail"],
    "data": [
        "security/account_dispute_security.xml",
        "security/ir.model.access.csv",
        "data/ir_sequence_data.xml",
        "data/account_dispute_reason_data.xml",
        "report/account_dispute_report.xml",
        "wizards/account_dispute_resolve_wizard_views.xml",
        "wizards/account_dispute_open_wizard_views.xml",
        "views/account_dispute_views.xml",
        "views/account_dispute_reason_views.xml",
        "views/account_move_views.xml",
        "views/account_move_line_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/account_dispute_menus.xml",
    ],
    "demo": [
        "demo/account_dispute_demo.xml",
    ],
    "installable": True,
    "application": False,
}
