/** @odoo-module */
// Copyright 2026 account_dispute contributors
// License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("account_dispute_portal_contest", {
    steps: () => [
        {
            content: "The invoice can be contested",
            trigger: "#portal_dispute_contest a:contains('Contest this invoice')",
            run: "click",
        },
        {
            content: "Choose the reason",
            trigger: "#portal_dispute_form select[name='reason_id']",
            run: "selectByLabel Wrong price",
        },
        {
            content: "Contest part of the invoice",
            trigger: "#portal_dispute_form input[name='amount']",
            run: "edit 120",
        },
        {
            content: "Say what is wrong",
            trigger: "#portal_dispute_form textarea[name='message']",
            run: "edit The unit price is 10, not 12, as quoted.",
        },
        {
            content: "Send",
            trigger: "#portal_dispute_form button[type='submit']",
            run: "click",
        },
        {
            content: "The dispute's reference is shown",
            trigger: "#portal_dispute_status:contains('LIT/')",
        },
    ],
});

registry.category("web_tour.tours").add("account_dispute_backend_open", {
    steps: () => [
        {
            content: "Dispute the invoice",
            trigger: ".o_form_view button[name='action_open_dispute']",
            run: "click",
        },
        {
            content: "Choose the reason",
            trigger: ".modal .o_field_widget[name='reason_id'] input",
            run: "edit Wrong price",
        },
        {
            trigger: ".ui-autocomplete .dropdown-item:contains('Wrong price')",
            run: "click",
        },
        {
            content: "Open the dispute",
            trigger: ".modal button[name='action_confirm']",
            run: "click",
        },
        {
            content: "The dispute is open",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Open')",
        },
        {
            content: "Back to its invoice",
            trigger: ".o_form_view button[name='action_view_invoices']",
            run: "click",
        },
        {
            content: "The invoice is suspended",
            trigger: ".o_form_view .ribbon:contains('Disputed')",
        },
    ],
});
