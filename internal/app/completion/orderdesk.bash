# bash completion for orderdesk. Load it with
#   source <(orderdesk completion bash)
# in ~/.bashrc, or save it as ~/.local/share/bash-completion/completions/orderdesk
# Each TAB runs `orderdesk __complete`, which reads the config and the local
# database (never a shop) and prints the candidates.

_orderdesk() {
    local line=${COMP_LINE:0:COMP_POINT} pos=0 start end=-1 i w
    local -a words=()
    # bash splits words at ':' and '=' (COMP_WORDBREAKS), and a REF is
    # SHOP:NUMBER: join the pieces the line has no space between.
    for ((i = 0; i <= COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        while [[ ${line:pos:1} == [[:space:]] ]]; do ((pos++)); done
        start=$pos
        ((pos += ${#w}))
        if ((i > 1 && start == end)); then
            words[${#words[@]}-1]+=$w
        else
            words+=("$w")
        fi
        end=$pos
    done
    local cur=${words[${#words[@]}-1]} prog=${words[0]}
    [[ $prog == "~/"* ]] && prog=$HOME/${prog#"~/"}
    # --config and --db of the line say which config and database to read.
    local -a globals=()
    for ((i = 1; i < ${#words[@]} - 1; i++)); do
        case ${words[i]} in
        --config | -config | --db | -db) globals+=("${words[i]}" "${words[i+1]/#\~\//$HOME/}") ;;
        --config=* | -config=* | --db=* | -db=*) globals+=("${words[i]}") ;;
        esac
    done
    local out
    out=$("$prog" "${globals[@]}" __complete -- "${words[@]:1}" 2>/dev/null) || return 0
    COMPREPLY=()
    local c files=
    while IFS= read -r c; do
        if [[ $c == :files ]]; then
            files=1
        elif [[ -n $c ]]; then
            COMPREPLY+=("${c%%$'\t'*}")
        fi
    done <<<"$out"
    # readline replaces only the text after the last word break (':' or
    # '=' of COMP_WORDBREAKS; "" right after one): take what comes before
    # it off every candidate.
    local word=${cur##*[$COMP_WORDBREAKS]}
    local strip=${cur%"$word"}
    if [[ -n $files ]]; then
        compopt -o filenames 2>/dev/null
        mapfile -t COMPREPLY < <(compgen -f -- "$word")
        return 0
    fi
    if [[ -n $strip ]]; then
        for i in "${!COMPREPLY[@]}"; do
            COMPREPLY[i]=${COMPREPLY[i]#"$strip"}
        done
    fi
    if ((${#COMPREPLY[@]} == 1)) && [[ ${COMPREPLY[0]} == *[:=] ]]; then
        compopt -o nospace 2>/dev/null
    fi
    return 0
}
complete -o nosort -F _orderdesk orderdesk 2>/dev/null || complete -F _orderdesk orderdesk
