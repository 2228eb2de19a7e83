/**
 * The lab's model of one Exchange server: cumulative update and build, the per-CU ProxyLogon
 * patched rule, security updates and what msiexec does with them, services, firewall rules,
 * files, registry keys, reboots, compromise indicators and faults. Framework-free and
 * deterministic except for the time callers pass in. See docs/lab-powershell.md.
 */
package io.antidote.lab.exchange;
