/* The widget: see issue 4. */
