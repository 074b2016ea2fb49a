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
        {
            content: "What is contested and what stays due are said",
            trigger: "#portal_dispute_split:contains('still due on its dates')",
        },
        {
            content: "The customer reads a status meant for it",
            trigger: "#portal_dispute_state:contains('Received, under review')",
        },
        {
            content: "The rest can still be paid online",
            trigger: "a[data-bs-target='#pay_with']",
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
            trigger: ".o_breadcrumb .o_back_button a",
            run: "click",
        },
        {
            content: "The invoice is suspended",
            trigger: ".o_form_view .ribbon:contains('Suspended')",
        },
        {
            content: "The form says why",
            trigger: ".o_form_view div[name='dispute_suspended']:contains('due date is suspended')",
        },
        {
            content: "Back to the invoice list",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Invoices')",
            run: "click",
        },
        {
            content: "The list shows the invoice as suspended, not overdue",
            trigger:
                ".o_list_view .o_data_row:has(.o_field_widget[name='status_in_payment'] " +
                ".badge.text-bg-warning:contains('Suspended'))" +
                ":not(:has(.o_field_remaining_days)):not(:has(.text-bg-danger))",
        },
    ],
});

registry.category("web_tour.tours").add("account_dispute_letter_after_contest", {
    steps: () => [
        {
            content: "The draft letter keeps the invoice not contested (250.00)",
            trigger:
                ".o_form_view .o_field_widget[name='invoice_ids'] " +
                ".o_data_row:contains('250.00')",
        },
        {
            content: "and the one contested in part, for the rest",
            trigger:
                ".o_form_view .o_field_widget[name='invoice_ids'] " +
                "tbody:has(.o_data_row ~ .o_data_row)",
        },
        {
            content: "The letter is still a draft",
            trigger: ".o_form_view .o_statusbar_status .o_arrow_button_current:contains('Draft')",
        },
    ],
});
