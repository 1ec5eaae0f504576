//! Embedded Marketo mktows 2_3 sandbox.
