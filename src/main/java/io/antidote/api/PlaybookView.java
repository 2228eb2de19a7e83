package io.antidote.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.antidote.playbook.Param;
import io.antidote.playbook.ParamType;
import io.antidote.playbook.Playbook;
import io.antidote.playbook.PlaybookError;
import io.antidote.playbook.Step;
import io.antidote.playbook.TargetSelector;

import java.util.List;
import java.util.Map;

/**
 * A parsed playbook as the API lists it; {@code source} only when one playbook is asked for, and
 * {@code pendingErrors} only when its file has since been changed into a version that does not parse
 * (this version stays in force until the file is fixed).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PlaybookView(String name, String description, int version, String digest, String file,
                           Map<String, List<String>> references, List<ParamView> params, List<StepView> steps,
                           String source, List<PlaybookError> pendingErrors, List<LibraryUse> library,
                           TargetSelector targets) {

    /** A library step this version uses, with the digest of the text it was read with. */
    public record LibraryUse(String name, String digest, String file) {
    }

    public record ParamView(String name, String type, String description, Object defaultValue, boolean required,
                            List<String> values, String pattern, Integer maxLength) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record StepView(String id, String description, String timeout, String uses) {
    }

    static PlaybookView summary(Playbook p) {
        return new PlaybookView(p.name(), p.description(), p.version(), p.digest(), p.file(), p.references(),
                p.params().stream().map(PlaybookView::param).toList(),
                p.steps().stream().map(PlaybookView::step).toList(), null, null,
                p.library().isEmpty() ? null : p.library().values().stream()
                        .map(l -> new LibraryUse(l.name(), l.digest(), l.file())).toList(),
                p.targets().isEmpty() ? null : p.targets());
    }

    static PlaybookView withSource(Playbook p, List<PlaybookError> pendingErrors) {
        PlaybookView s = summary(p);
        return new PlaybookView(s.name(), s.description(), s.version(), s.digest(), s.file(), s.references(),
                s.params(), s.steps(), p.source(), pendingErrors.isEmpty() ? null : List.copyOf(pendingErrors),
                s.library(), s.targets());
    }

    static ParamView param(Param p) {
        // A secret's default is a secret too.
        Object shownDefault = p.type() == ParamType.SECRET && p.defaultValue() != null ? "***" : p.defaultValue();
        boolean text = p.type() == ParamType.STRING || p.type() == ParamType.SECRET;
        return new ParamView(p.name(), p.type().name().toLowerCase(), p.description(), shownDefault, p.required(),
                p.values(), p.pattern(), text ? p.maxLength() : null);
    }

    private static StepView step(Step s) {
        return new StepView(s.id(), s.description(), s.timeout().toString(),
                s.uses() == null ? null : s.uses().step().name());
    }
}
