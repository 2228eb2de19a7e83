/**
 * The lab's PowerShell: a tokenizer, parser and tree-walking evaluator for a subset of Windows
 * PowerShell 5.1, with cmdlets that act on an {@link io.antidote.lab.exchange.ExchangeServer}.
 * Entry point {@link io.antidote.lab.powershell.PowerShell}; the supported subset, error rules
 * and exit codes are listed in docs/lab-powershell.md.
 */
package io.antidote.lab.powershell;
