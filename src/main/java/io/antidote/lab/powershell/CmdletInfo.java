package io.antidote.lab.powershell;

import java.util.List;
import java.util.function.Supplier;

/**
 * A cmdlet's metadata: its name, the .NET type that appears in FullyQualifiedErrorIds
 * (Microsoft.PowerShell.Commands.GetServiceCommand), its module, parameters, whether it takes
 * pipeline input and supports -WhatIf, and a factory for one invocation.
 */
record CmdletInfo(String name, String implementingType, String module, List<Param> params, boolean pipelineInput,
                  boolean shouldProcess, Supplier<Cmdlet> factory) {
}
