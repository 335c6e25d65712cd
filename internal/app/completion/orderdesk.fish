# fish completion for orderdesk. Save it as
#   orderdesk completion fish > ~/.config/fish/completions/orderdesk.fish
# Each TAB runs `orderdesk __complete`, which reads the config and the local
# database (never a shop) and prints the candidates.

function __orderdesk_complete
    # the tokens before the cursor, unquoted (fish 4: -x; fish 3: -o)
    set -l words (commandline -xpc 2>/dev/null)
    or set words (commandline -opc)
    set -l cur (commandline -ct)
    set -l prog $words[1]
    # --config and --db of the line say which config and database to read.
    set -l globals
    set -l n (count $words)
    for i in (seq 2 $n)
        switch $words[$i]
            case --config -config --db -db
                if test $i -lt $n
                    set -a globals $words[$i] $words[(math $i + 1)]
                end
            case '--config=*' '-config=*' '--db=*' '-db=*'
                set -a globals $words[$i]
        end
    end
    set -l out ($prog $globals __complete -- $words[2..-1] $cur 2>/dev/null)
    or return
    if contains -- :files $out
        # --db=FILE: the path after the '='
        set -l value (string replace -r -- '^-[^=]*=' '' $cur)
        set -l head (string replace -- $value '' $cur)
        for p in (__fish_complete_path $value)
            printf '%s%s\n' "$head" $p
        end
        return
    end
    printf '%s\n' $out
end

complete -c orderdesk -f -a '(__orderdesk_complete)'
