package io.antidote.lab.powershell;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/** The cmdlets and aliases the lab's PowerShell knows; built once, shared by every run. */
final class Commands {

    private static final Map<String, CmdletInfo> CMDLETS = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private static final Map<String, String> ALIASES = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    static {
        CoreCmdlets.register();
        FileSystemCmdlets.register();
        SystemCmdlets.register();
        ExchangeLabCmdlets.register();
        PackageCmdlets.register();
        String[][] aliases = {
                {"%", "ForEach-Object"}, {"foreach", "ForEach-Object"}, {"?", "Where-Object"}, {"where", "Where-Object"},
                {"select", "Select-Object"}, {"sort", "Sort-Object"}, {"measure", "Measure-Object"},
                {"echo", "Write-Output"}, {"write", "Write-Output"}, {"gci", "Get-ChildItem"}, {"ls", "Get-ChildItem"},
                {"dir", "Get-ChildItem"}, {"gc", "Get-Content"}, {"cat", "Get-Content"}, {"type", "Get-Content"},
                {"gsv", "Get-Service"}, {"sasv", "Start-Service"}, {"spsv", "Stop-Service"}, {"sls", "Select-String"},
                {"gcm", "Get-Command"}, {"gp", "Get-ItemProperty"}, {"gi", "Get-Item"}, {"ft", "Format-Table"},
                {"fl", "Format-List"}, {"rm", "Remove-Item"}, {"del", "Remove-Item"}, {"ri", "Remove-Item"},
                {"erase", "Remove-Item"}, {"rd", "Remove-Item"}, {"rmdir", "Remove-Item"}, {"ni", "New-Item"},
                {"mi", "Move-Item"}, {"move", "Move-Item"}, {"mv", "Move-Item"}, {"cp", "Copy-Item"},
                {"copy", "Copy-Item"}, {"ci", "Copy-Item"}, {"sc", "Set-Content"}, {"ac", "Add-Content"},
                {"cd", "Set-Location"}, {"sl", "Set-Location"}, {"chdir", "Set-Location"}, {"pwd", "Get-Location"},
                {"gl", "Get-Location"}, {"start", "Start-Process"}, {"saps", "Start-Process"}, {"sleep", "Start-Sleep"},
                {"ipmo", "Import-Module"}, {"gpv", "Get-ItemPropertyValue"}, {"oh", "Out-Host"}};
        for (String[] a : aliases) {
            ALIASES.put(a[0], a[1]);
        }
    }

    static void add(String name, String implementingType, String module, boolean pipelineInput, boolean shouldProcess,
                    Supplier<Cmdlet> factory, Param... params) {
        CMDLETS.put(name, new CmdletInfo(name, implementingType, module, List.of(params), pipelineInput, shouldProcess,
                factory));
    }

    /** The cmdlet a name or alias (optionally module-qualified) stands for, or null. */
    CmdletInfo resolve(String name) {
        String n = name;
        int slash = n.lastIndexOf('\\');
        if (slash > 0 && !n.contains(":")) {
            n = n.substring(slash + 1);
        }
        CmdletInfo info = CMDLETS.get(n);
        if (info != null) {
            return info;
        }
        String target = ALIASES.get(n);
        return target == null ? null : CMDLETS.get(target);
    }

    String aliasTarget(String name) {
        return ALIASES.get(name);
    }

    Collection<CmdletInfo> all() {
        return new ArrayList<>(CMDLETS.values());
    }
}
