<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AlignmentCompare</name>
    <message>
        <source>Causal alignment, side by side</source>
        <translation>因果对齐方式并排对比</translation>
    </message>
    <message>
        <source>top-left: tril, PyTorch is_causal</source>
        <translation>左上：tril、PyTorch is_causal</translation>
    </message>
    <message>
        <source>bottom-right: FlashAttention, KV cache</source>
        <translation>右下：FlashAttention、键值缓存</translation>
    </message>
</context>
<context>
    <name>BlockOverlay</name>
    <message>
        <source>B = %1: %2 full, %3 partial, %4 empty tiles · %5% of tiles skipped · %6% of FLOPs saved</source>
        <translation>B = %1：%2 个满块、%3 个部分块、%4 个空块 · 跳过 %5% 的块 · 节省 %6% 的浮点运算</translation>
    </message>
</context>
<context>
    <name>Conventions</name>
    <message>
        <source>attn_mask: bool True = blocked, or float added to the scores; key_padding_mask (B, Lk): True = padding</source>
        <translation>attn_mask：bool 型 True = 屏蔽，或加到分数上的 float 型；key_padding_mask (B, Lk)：True = 填充</translation>
    </message>
    <message>
        <source>attn_mask: bool True = attend, or float added to the scores; is_causal = top-left causal</source>
        <translation>attn_mask：bool 型 True = 可关注，或加到分数上的 float 型；is_causal = 左上对齐的因果掩码</translation>
    </message>
    <message>
        <source>mask_mod(b, h, q_idx, kv_idx) returns True = keep; score_mod changes the scores</source>
        <translation>mask_mod(b, h, q_idx, kv_idx) 返回 True = 保留；score_mod 修改分数</translation>
    </message>
    <message>
        <source>attention_mask (B, Lk): 1 = keep, 0 = padding; becomes a 4-D additive mask of 0 and finfo(dtype).min</source>
        <translation>attention_mask (B, Lk)：1 = 保留，0 = 填充；会变成由 0 和 finfo(dtype).min 组成的 4 维加性掩码</translation>
    </message>
    <message>
        <source>mask: 1 = blocked, 0 = attend; scaled_attention_logits += mask * -1e9</source>
        <translation>mask：1 = 屏蔽，0 = 可关注；scaled_attention_logits += mask * -1e9</translation>
    </message>
    <message>
        <source>attention_mask (B, Lq, Lk): 1 = attend, 0 = blocked; use_causal_mask = top-left causal</source>
        <translation>attention_mask (B, Lq, Lk)：1 = 可关注，0 = 屏蔽；use_causal_mask = 左上对齐的因果掩码</translation>
    </message>
    <message>
        <source>soft-capping is not part of this spelling: the weights differ from MaskScope&apos;s (FlexAttention&apos;s score_mod or the model&apos;s own attention code applies it)</source>
        <translation>软上限（soft-capping）不属于这种写法：权重与 MaskScope 的不同（由 FlexAttention 的 score_mod 或模型自己的注意力代码施加）</translation>
    </message>
    <message>
        <source>the loaded float attn_mask&apos;s biases are not carried by a bool mask; only its blocked cells (&lt;= -1e4) are</source>
        <translation>bool 掩码无法携带所加载的 float 型 attn_mask 中的偏置，只能表示其中被屏蔽的单元格（&lt;= -1e4）</translation>
    </message>
    <message>
        <source>custom cells on padding cannot be split into attn_mask + key_padding_mask: the mask is given per batch item and head, (B*H, Lq, Lk)</source>
        <translation>落在填充位置上的手绘单元格无法拆分为 attn_mask + key_padding_mask：掩码按批次样本和注意力头给出，形状为 (B*H, Lq, Lk)</translation>
    </message>
    <message>
        <source>True means BLOCKED here, the opposite of F.scaled_dot_product_attention&apos;s bool mask</source>
        <translation>这里 True 表示“屏蔽”，与 F.scaled_dot_product_attention 的 bool 掩码正好相反</translation>
    </message>
    <message>
        <source>a row with no allowed key gets NaN weights (-inf everywhere), as in MaskScope with --fill neg-inf; a finite fill that swamps the logits (-1e9 in float32) gives uniform weights there instead</source>
        <translation>没有任何可关注键的行得到 NaN 权重（整行都是 -inf），与 MaskScope 使用 --fill neg-inf 时相同；若有限的屏蔽值大到淹没 logits（float32 中的 -1e9），这些行则得到均匀权重</translation>
    </message>
    <message>
        <source>True means ATTEND here, the opposite of nn.MultiheadAttention&apos;s bool attn_mask</source>
        <translation>这里 True 表示“可关注”，与 nn.MultiheadAttention 的 bool 型 attn_mask 正好相反</translation>
    </message>
    <message>
        <source>is_causal=True is top-left aligned (torch.tril) also when Lq != Lk</source>
        <translation>即使 Lq != Lk，is_causal=True 也是左上对齐（torch.tril）</translation>
    </message>
    <message>
        <source>create_block_mask skips the empty 128 x 128 blocks (see block_sparsity)</source>
        <translation>create_block_mask 会跳过空的 128 x 128 块（见 block_sparsity）</translation>
    </message>
    <message>
        <source>attention_mask carries padding only; the model adds the causal rule itself</source>
        <translation>attention_mask 只表示填充；因果规则由模型自己加上</translation>
    </message>
    <message>
        <source>blocked cells get finfo(dtype).min, not -inf: a row with no allowed key gets uniform weights instead of NaN</source>
        <translation>被屏蔽的单元格得到 finfo(dtype).min 而不是 -inf：没有可关注键的行得到均匀权重而不是 NaN</translation>
    </message>
    <message>
        <source>1 means BLOCKED here; it is added as -1e9, so blocked logits stay finite and a row with no allowed key gets uniform weights</source>
        <translation>这里 1 表示“屏蔽”；它以 -1e9 的形式加上，因此被屏蔽的 logits 仍是有限值，没有可关注键的行得到均匀权重</translation>
    </message>
    <message>
        <source>score modifiers are not part of this spelling</source>
        <translation>得分修正不属于这种写法</translation>
    </message>
    <message>
        <source>use_causal_mask=True is top-left causal, AND-ed with attention_mask</source>
        <translation>use_causal_mask=True 是左上对齐的因果掩码，并与 attention_mask 取逻辑与</translation>
    </message>
    <message>
        <source>True = attend</source>
        <translation>True = 可关注</translation>
    </message>
    <message>
        <source>True = blocked</source>
        <translation>True = 屏蔽</translation>
    </message>
    <message>
        <source>TensorFlow transformer tutorial</source>
        <translation>TensorFlow Transformer 教程</translation>
    </message>
    <message>
        <source>the sink logit is not part of this spelling: the weights differ from MaskScope&apos;s (the model&apos;s attention code adds the extra softmax column, as FlexAttention and Hugging Face show)</source>
        <translation>这种写法表达不了汇聚 logit（sink logit）：权重与 MaskScope 的不同（要由模型自己的注意力代码加上那一列额外的 softmax 列，FlexAttention 和 Hugging Face 的写法展示了做法）</translation>
    </message>
</context>
<context>
    <name>DocumentHistory</name>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>Query length</source>
        <translation>查询长度</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Sentence lengths</source>
        <translation>句子长度</translation>
    </message>
    <message>
        <source>Pad side</source>
        <translation>填充位置</translation>
    </message>
    <message>
        <source>Causal</source>
        <translation>因果</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>注意力头</translation>
    </message>
    <message>
        <source>Key/value heads</source>
        <translation>键/值头数</translation>
    </message>
    <message>
        <source>Model width d_model</source>
        <translation>模型宽度 d_model</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Blocked-cell value</source>
        <translation>屏蔽值</translation>
    </message>
    <message>
        <source>Words</source>
        <translation>词</translation>
    </message>
    <message>
        <source>Inputs folder</source>
        <translation>输入文件夹</translation>
    </message>
    <message>
        <source>Causal alignment</source>
        <translation>因果对齐</translation>
    </message>
    <message>
        <source>Window</source>
        <translation>窗口</translation>
    </message>
    <message>
        <source>Dilation</source>
        <translation>膨胀</translation>
    </message>
    <message>
        <source>Prefix-LM</source>
        <translation>前缀 LM</translation>
    </message>
    <message>
        <source>Document lengths</source>
        <translation>文档长度</translation>
    </message>
    <message>
        <source>Chunk size</source>
        <translation>块大小</translation>
    </message>
    <message>
        <source>Global tokens</source>
        <translation>全局词元</translation>
    </message>
    <message>
        <source>Sink tokens</source>
        <translation>汇聚词元</translation>
    </message>
    <message>
        <source>Block-causal</source>
        <translation>块因果</translation>
    </message>
    <message>
        <source>Bidirectional spans</source>
        <translation>双向区间</translation>
    </message>
    <message>
        <source>Draft tree</source>
        <translation>草稿树</translation>
    </message>
    <message>
        <source>2-D neighbourhood</source>
        <translation>二维邻域</translation>
    </message>
    <message>
        <source>Layer pattern</source>
        <translation>层模式</translation>
    </message>
    <message>
        <source>Painted cells</source>
        <translation>手绘单元格</translation>
    </message>
    <message>
        <source>Mask file</source>
        <translation>掩码文件</translation>
    </message>
    <message>
        <source>ALiBi bias</source>
        <translation>ALiBi 偏置</translation>
    </message>
    <message>
        <source>Soft-cap</source>
        <translation>软截断</translation>
    </message>
    <message>
        <source>Sink logit</source>
        <translation>汇聚 logit</translation>
    </message>
    <message>
        <source>Block size</source>
        <translation>分块大小</translation>
    </message>
    <message>
        <source>Mistakes</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Number format</source>
        <translation>数值格式</translation>
    </message>
    <message>
        <source>Fully blocked rows</source>
        <translation>全屏蔽行</translation>
    </message>
    <message>
        <source>Mask application</source>
        <translation>掩码施加方式</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>Sentences</source>
        <translation>句子</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Shown matrix</source>
        <translation>显示的矩阵</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>布局</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>注意力头</translation>
    </message>
    <message>
        <source>Batch item</source>
        <translation>批次项</translation>
    </message>
    <message>
        <source>Before/after</source>
        <translation>前后对比</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>%1, %2</source>
        <translation>%1、%2</translation>
    </message>
</context>
<context>
    <name>Explanation</name>
    <message>
        <source>the lowest finite number</source>
        <translation>最小的有限数</translation>
    </message>
    <message>
        <source>&lt;p&gt;Query %1 (row %2) → key %3 (column %4), head %5, batch item %6&lt;/p&gt;</source>
        <translation>&lt;p&gt;查询 %1（第 %2 行）→ 键 %3（第 %4 列），注意力头 %5，批次第 %6 项&lt;/p&gt;</translation>
    </message>
    <message>
        <source>ALiBi: %1 − %2 · |%3 − %4|</source>
        <translation>ALiBi：%1 − %2 · |%3 − %4|</translation>
    </message>
    <message>
        <source>soft-cap: %1 · tanh(x ÷ %1)</source>
        <translation>软上限（soft-cap）：%1 · tanh(x ÷ %1)</translation>
    </message>
    <message>
        <source>%1, then %2</source>
        <translation>%1，然后 %2</translation>
    </message>
    <message>
        <source>score</source>
        <translation>分数</translation>
    </message>
    <message>
        <source>q·k, summed over the head&apos;s d&lt;sub&gt;k&lt;/sub&gt; = %1 dimensions</source>
        <translation>q·k，对该注意力头的 d&lt;sub&gt;k&lt;/sub&gt; = %1 个维度求和</translation>
    </message>
    <message>
        <source>scale</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source>modify</source>
        <translation>修正</translation>
    </message>
    <message>
        <source>exp</source>
        <translation>exp</translation>
    </message>
    <message>
        <source>exp(%1 − max) with the row max = %2</source>
        <translation>exp(%1 − max)，其中该行最大值 max = %2</translation>
    </message>
    <message>
        <source>÷ sum</source>
        <translation>÷ 总和</translation>
    </message>
    <message>
        <source>%1 ÷ %2 (the sum of the exps over the row)</source>
        <translation>%1 ÷ %2（该行所有 exp 之和）</translation>
    </message>
    <message>
        <source>&lt;p&gt;This key is blocked (%1): the mask pushes its logit so low that exp gives exactly 0.&lt;/p&gt;</source>
        <translation>&lt;p&gt;这个键被屏蔽（%1）：掩码把它的 logit 压得极低，exp 的结果恰好为 0。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;This key is blocked (%1), yet it keeps a weight of %2: the fill %3 is not negative enough.&lt;/p&gt;</source>
        <translation>&lt;p&gt;这个键被屏蔽（%1），却仍保留了 %2 的权重：屏蔽值 %3 不够负。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The key is allowed: the mask adds 0 and the weight is its share of the row&apos;s exponentials.&lt;/p&gt;</source>
        <translation>&lt;p&gt;这个键是允许的：掩码加 0，权重就是它的 exp 值在该行所有 exp 之和中所占的比例。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The whole row (keys %1–%2 of %3):&lt;/p&gt;</source>
        <translation>&lt;p&gt;整行（第 %1–%2 个键，共 %3 个）：&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The whole row:&lt;/p&gt;</source>
        <translation>&lt;p&gt;整行：&lt;/p&gt;</translation>
    </message>
    <message>
        <source>key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>logit</source>
        <translation>logit</translation>
    </message>
    <message>
        <source>mask</source>
        <translation>掩码</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>sum</source>
        <translation>总和</translation>
    </message>
    <message>
        <source>a padding key</source>
        <translation>填充位置的键</translation>
    </message>
    <message>
        <source>a future key: causal masking</source>
        <translation>未来位置的键：因果掩码</translation>
    </message>
    <message>
        <source>blocked by the loaded mask</source>
        <translation>被载入的掩码屏蔽</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;allowed&lt;/b&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;允许&lt;/b&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;blocked&lt;/b&gt; — %1&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;屏蔽&lt;/b&gt; — %1&lt;/p&gt;</translation>
    </message>
    <message>
        <source>score (%1)</source>
        <translation>分数（%1）</translation>
    </message>
    <message>
        <source>ALiBi, soft-cap</source>
        <translation>ALiBi、软上限</translation>
    </message>
    <message>
        <source>soft-cap</source>
        <translation>软上限</translation>
    </message>
    <message>
        <source>masked logit</source>
        <translation>掩码后的 logit</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;i&gt;This query is padding: its row is computed but means nothing.&lt;/i&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;i&gt;这个查询是填充：它这一行照样参与计算，但没有任何意义。&lt;/i&gt;&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Query %1 (row %2) → key %3 (column %4), batch item %5&lt;/p&gt;</source>
        <translation>&lt;p&gt;查询 %1（第 %2 行）→ 键 %3（第 %4 列），批次第 %5 项&lt;/p&gt;</translation>
    </message>
    <message>
        <source>mean weight over %1 heads</source>
        <translation>%1 个注意力头的平均权重</translation>
    </message>
    <message>
        <source>&lt;p&gt;Query %1 (row %2) → key %3 (column %4), mean over %5 heads&lt;/p&gt;</source>
        <translation>&lt;p&gt;查询 %1（第 %2 行）→ 键 %3（第 %4 列），%5 个注意力头的平均&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Each head has its own projections, so each head weighs the keys differently; the mask is the same for all of them. Click a cell in the single-head view for the steps of one head.&lt;/p&gt;</source>
        <translation>&lt;p&gt;每个注意力头都有自己的投影矩阵，因此对各个键的权重分配各不相同；但所有头共用同一个掩码。在单头视图中点击单元格，可查看某一个头的计算步骤。&lt;/p&gt;</translation>
    </message>
    <message numerus="yes">
        <source>padded query rows %1 are computed but carry no meaning: the mask hides padded keys, not padded queries</source>
        <translation>
            <numerusform>填充查询所在的第 %1 行照样参与计算，但没有任何意义：掩码屏蔽的是填充的键，而不是填充的查询</numerusform>
        </translation>
    </message>
    <message>
        <source>the fill %1 is too weak to block: a blocked key still gets a weight of %2</source>
        <translation>屏蔽值 %1 太弱，挡不住：被屏蔽的键仍得到了 %2 的权重</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;i&gt;The mask was computed but never applied: masked_fill&apos;s result was thrown away.&lt;/i&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;i&gt;掩码算出来了，却从未生效：masked_fill 的结果被丢弃了。&lt;/i&gt;&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>ExportText</name>
    <message>
        <source>cannot write &apos;%1&apos;: %2</source>
        <translation>无法写入“%1”：%2</translation>
    </message>
    <message>
        <source>the figure would be empty (%1 x %2)</source>
        <translation>图将为空（%1 × %2）</translation>
    </message>
    <message>
        <source>the figure would be %1 x %2 pixels; the limit is %3 per side and %4 million in all</source>
        <translation>图将有 %1 × %2 像素；上限为每边 %3 像素、总计 %4 百万像素</translation>
    </message>
    <message>
        <source>use .png, .svg or .pdf</source>
        <translation>请使用 .png、.svg 或 .pdf</translation>
    </message>
    <message>
        <source>no output file given</source>
        <translation>没有指定输出文件</translation>
    </message>
    <message>
        <source>cannot export to &apos;%1&apos;: no file extension (%2)</source>
        <translation>无法导出到“%1”：没有文件扩展名（%2）</translation>
    </message>
    <message>
        <source>cannot export to &apos;%1&apos;: unknown file type &apos;.%2&apos; (%3)</source>
        <translation>无法导出到“%1”：未知的文件类型“.%2”（%3）</translation>
    </message>
    <message>
        <source>it is a directory</source>
        <translation>这是一个目录</translation>
    </message>
    <message>
        <source>directory &apos;%1&apos; does not exist</source>
        <translation>目录“%1”不存在</translation>
    </message>
    <message>
        <source>cannot export to &apos;%1&apos;: %2</source>
        <translation>无法导出到“%1”：%2</translation>
    </message>
    <message>
        <source>cannot export to &apos;%1&apos;: rendering failed (out of memory?)</source>
        <translation>无法导出到“%1”：绘制失败（内存不足？）</translation>
    </message>
    <message>
        <source>%1 x %2 is too small for this figure; the smallest size that works is %3 x %4</source>
        <translation>%1 x %2 对这幅图来说太小；可用的最小尺寸是 %3 x %4</translation>
    </message>
</context>
<context>
    <name>FigureText</name>
    <message>
        <source>Attention mask</source>
        <translation>注意力掩码</translation>
    </message>
    <message>
        <source>Attention logits</source>
        <translation>注意力 logits</translation>
    </message>
    <message>
        <source>Masked logits</source>
        <translation>掩码后的 logits</translation>
    </message>
    <message>
        <source>Attention weights</source>
        <translation>注意力权重</translation>
    </message>
    <message>
        <source>From mask to attention weights</source>
        <translation>从掩码到注意力权重</translation>
    </message>
    <message>
        <source>1  mask</source>
        <translation>1  掩码</translation>
    </message>
    <message>
        <source>3  modified logits + mask</source>
        <translation>3  修正后的 logits + 掩码</translation>
    </message>
    <message>
        <source>3  logits + mask</source>
        <translation>3  logits + 掩码</translation>
    </message>
    <message>
        <source>4  softmax weights</source>
        <translation>4  softmax 权重</translation>
    </message>
    <message>
        <source>mask</source>
        <translation>掩码</translation>
    </message>
    <message>
        <source>logit</source>
        <translation>logit</translation>
    </message>
    <message>
        <source>masked logit</source>
        <translation>掩码后的 logit</translation>
    </message>
    <message>
        <source>weight</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>mean of %1 heads</source>
        <translation>%1 个注意力头的平均</translation>
    </message>
    <message>
        <source>head %1</source>
        <translation>注意力头 %1</translation>
    </message>
    <message>
        <source> (the same for every head)</source>
        <translation>（所有注意力头相同）</translation>
    </message>
    <message>
        <source> — all %1 heads</source>
        <translation> — 全部 %1 个注意力头</translation>
    </message>
    <message>
        <source> — mean over %1 heads</source>
        <translation> — %1 个注意力头的平均</translation>
    </message>
    <message>
        <source> — head %1</source>
        <translation> — 注意力头 %1</translation>
    </message>
    <message>
        <source>lowest</source>
        <translation>最小值</translation>
    </message>
    <message>
        <source>a large negative number</source>
        <translation>一个很大的负数</translation>
    </message>
    <message>
        <source>valid length %1 of %2, padded on the left</source>
        <translation>有效长度 %1/%2，左侧填充</translation>
    </message>
    <message>
        <source>valid length %1 of %2, padded on the right</source>
        <translation>有效长度 %1/%2，右侧填充</translation>
    </message>
    <message>
        <source>self-attention</source>
        <translation>自注意力</translation>
    </message>
    <message>
        <source>cross-attention</source>
        <translation>交叉注意力</translation>
    </message>
    <message>
        <source>%1 queries × %2 keys</source>
        <translation>%1 个查询 × %2 个键</translation>
    </message>
    <message>
        <source>causal</source>
        <translation>因果</translation>
    </message>
    <message>
        <source>loaded attn_mask</source>
        <translation>载入的 attn_mask</translation>
    </message>
    <message>
        <source>soft-cap %1</source>
        <translation>软上限 %1</translation>
    </message>
    <message>
        <source>fill %1</source>
        <translation>屏蔽值 %1</translation>
    </message>
    <message>
        <source>%1 heads, d_model %2</source>
        <translation>%1 个注意力头，d_model %2</translation>
    </message>
    <message>
        <source>batch item %1 of %2</source>
        <translation>批次第 %1 项（共 %2 项）</translation>
    </message>
    <message>
        <source>allowed (mask adds 0)</source>
        <translation>允许（掩码加 0）</translation>
    </message>
    <message>
        <source>allowed</source>
        <translation>允许</translation>
    </message>
    <message>
        <source>blocked by the mask</source>
        <translation>被掩码屏蔽</translation>
    </message>
    <message>
        <source>blocked (mask adds %1)</source>
        <translation>屏蔽（掩码加 %1）</translation>
    </message>
    <message>
        <source>NaN (not a number)</source>
        <translation>NaN（非数）</translation>
    </message>
    <message>
        <source>padding position</source>
        <translation>填充位置</translation>
    </message>
    <message>
        <source>row with no allowed key</source>
        <translation>没有允许键的行</translation>
    </message>
    <message>
        <source>query</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>2  logits QKᵀ/√dₖ</source>
        <translation>2  logits QKᵀ/√dₖ</translation>
    </message>
    <message>
        <source>full tile</source>
        <translation>满块</translation>
    </message>
    <message>
        <source>partial tile</source>
        <translation>部分块</translation>
    </message>
    <message>
        <source>empty tile, skipped — %1</source>
        <translation>空块，已跳过 — %1</translation>
    </message>
    <message>
        <source>heads %1–%2 · K/V %3</source>
        <translation>头 %1–%2 · K/V %3</translation>
    </message>
    <message>
        <source>%1 (%2) · layer %3 of %4</source>
        <translation>%1（%2）· 第 %3 层，共 %4 层</translation>
    </message>
    <message>
        <source>%1 heads sharing %2 K/V heads, d_model %3</source>
        <translation>%1 个头共享 %2 个 K/V 头，d_model %3</translation>
    </message>
    <message>
        <source>drawn from the rules: one head&apos;s logits and weights would need %1</source>
        <translation>按规则绘制：单个头的 logits 与权重需要 %1</translation>
    </message>
    <message>
        <source>queries %1–%2 × keys %3–%4</source>
        <translation>查询 %1–%2 × 键 %3–%4</translation>
    </message>
</context>
<context>
    <name>LanguageMenu</name>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>&amp;System language</source>
        <translation>跟随系统(&amp;S)</translation>
    </message>
</context>
<context>
    <name>LongContext</name>
    <message>
        <source>%1 queries × %2 keys: logits and weights would need %3, so only the mask is shown, drawn from the rules at screen resolution.</source>
        <translation>%1 个查询 × %2 个键：logits 和权重需要 %3 内存，因此只显示掩码，按屏幕分辨率直接由规则绘制。</translation>
    </message>
</context>
<context>
    <name>PitfallFigure</name>
    <message>
        <source>with the mistake</source>
        <translation>出错时</translation>
    </message>
    <message>
        <source>fixed</source>
        <translation>修正后</translation>
    </message>
    <message>
        <source>%1; fixed: %2</source>
        <translation>%1；修正后：%2</translation>
    </message>
    <message>
        <source>%1: with the mistake and fixed</source>
        <translation>%1：出错时与修正后对照</translation>
    </message>
    <message>
        <source>mistake: %1</source>
        <translation>错误：%1</translation>
    </message>
</context>
<context>
    <name>Pitfalls</name>
    <message>
        <source>masked_fill result thrown away</source>
        <translation>masked_fill 的结果被丢弃</translation>
    </message>
    <message>
        <source>Seed 001 writes atten_scores.masked_fill(mask == 0, -1e9) on a line of its own. masked_fill is not in place: it returns a new tensor and leaves atten_scores as it was, and that new tensor is thrown away, so the mask never reaches the scores. The masked logits equal the raw logits and the softmax weights are bit for bit the weights without any mask: every query attends to future tokens and to padding, and no row is ever fully blocked (so there is no NaN to give the bug away). Nothing fails: the shapes are right and the model trains, it simply learns to peek.</source>
        <translation>源文档 001 把 atten_scores.masked_fill(mask == 0, -1e9) 单独写成一行。masked_fill 不是原地操作：它返回一个新张量，atten_scores 本身保持不变，而这个新张量又被丢弃了，所以掩码根本没有作用到分数上。掩码后的 logits 与原始 logits 相同，softmax 权重与不加任何掩码时逐位相同：每个查询都会关注未来的词元和填充，也没有哪一行会被完全屏蔽（因此也不会出现 NaN 来暴露这个错误）。一切都不报错：形状都对，模型也照常训练，只是学会了“偷看”。</translation>
    </message>
    <message>
        <source>Assign the result, atten_scores = atten_scores.masked_fill(mask == 0, -1e9), or use the in-place atten_scores.masked_fill_(mask == 0, -1e9) (trailing underscore). -1e9 suits float32 and bfloat16 but not float16, where masked_fill refuses it; torch.finfo(atten_scores.dtype).min fits every format.</source>
        <translation>把结果赋回去：atten_scores = atten_scores.masked_fill(mask == 0, -1e9)，或者使用原地版本 atten_scores.masked_fill_(mask == 0, -1e9)（末尾带下划线）。-1e9 适用于 float32 和 bfloat16，但不适用于 float16，masked_fill 会拒绝它；torch.finfo(atten_scores.dtype).min 适用于所有格式。</translation>
    </message>
    <message>
        <source>K and V projected with the query&apos;s weights</source>
        <translation>K 和 V 用了查询的投影权重</translation>
    </message>
    <message>
        <source>Seed 001 computes K = self.q_proj(k) and V = self.q_proj(v): keys and values go through the query projection (its weights and its bias); k_proj and v_proj are created but never used. In self-attention k = v = q, so K = V = Q: every logit is dot(q_i, q_j) / sqrt(d_k), the logits matrix is symmetric, its diagonal |q_i|^2 / sqrt(d_k) is never negative so tokens lean towards themselves, and the vectors mixed into the output are the queries instead of the values. Nothing fails: the shapes agree and the layer trains, with k_proj and v_proj receiving no gradient.</source>
        <translation>源文档 001 计算 K = self.q_proj(k) 和 V = self.q_proj(v)：键和值都经过了查询的投影（它的权重和偏置）；k_proj 和 v_proj 虽然创建了，却从未使用。在自注意力中 k = v = q，所以 K = V = Q：每个 logit 都是 dot(q_i, q_j) / sqrt(d_k)，logits 矩阵是对称的，其对角线 |q_i|^2 / sqrt(d_k) 从不为负，因此词元偏向关注自己，而混合进输出的向量是查询而不是值。一切都不报错：形状吻合，这一层照常训练，只是 k_proj 和 v_proj 得不到任何梯度。</translation>
    </message>
    <message>
        <source>K = self.k_proj(k) and V = self.v_proj(v): each of Q, K and V has its own projection (nn.MultiheadAttention keeps them as the three blocks of in_proj_weight and in_proj_bias).</source>
        <translation>K = self.k_proj(k)，V = self.v_proj(v)：Q、K、V 各有自己的投影（nn.MultiheadAttention 把它们存为 in_proj_weight 和 in_proj_bias 的三个分块）。</translation>
    </message>
    <message>
        <source>Bool mask read with the opposite polarity</source>
        <translation>布尔掩码的极性读反了</translation>
    </message>
    <message>
        <source>Frameworks disagree about what True means. nn.MultiheadAttention&apos;s attn_mask and key_padding_mask and the TensorFlow tutorial&apos;s mask (seed 004) say True (1) = blocked; F.scaled_dot_product_attention&apos;s attn_mask, Keras&apos; attention_mask and Hugging Face&apos;s attention_mask say True (1) = attend. A mask written for one and passed to the other is read inverted, and MaskScope complements the whole allowed matrix: every allowed cell is blocked and every blocked cell allowed. A causal mask becomes j &gt; i: the diagonal is blocked, query i sees only later tokens, and the last query has no key left (NaN under a -inf fill, see the blocked-rows setting). A padding-only mask (a Hugging Face attention_mask passed as key_padding_mask) lets every query attend only to the padding, and in a sequence without padding no key is left at all, so every row is fully blocked. The complement models one bool mask passed whole; if only the padding tensor is inverted next to a correct causal attn_mask, the model sees causal AND padding instead.</source>
        <translation>各个框架对 True 的含义并不一致。nn.MultiheadAttention 的 attn_mask 和 key_padding_mask 以及 TensorFlow 教程中的 mask（源文档 004）规定 True (1) = 屏蔽；F.scaled_dot_product_attention 的 attn_mask、Keras 的 attention_mask 和 Hugging Face 的 attention_mask 则规定 True (1) = 关注。为一方写的掩码传给另一方，就会被反过来解读，MaskScope 此时对整个允许矩阵取反：每个允许的单元格被屏蔽，每个被屏蔽的单元格变为允许。因果掩码变成 j &gt; i：对角线被屏蔽，查询 i 只能看到它之后的词元，而最后一个查询一个键也不剩（屏蔽值为 -inf 时得到 NaN，见“全屏蔽行”设置）。只含填充的掩码（把 Hugging Face 的 attention_mask 当作 key_padding_mask 传入）会让每个查询只关注填充；在没有填充的序列中则一个键都不剩，每一行都被完全屏蔽。取反模拟的是整个布尔掩码被整体传错的情形；如果只是填充张量被取反，而旁边的因果 attn_mask 是正确的，模型看到的则是“因果且填充”。</translation>
    </message>
    <message>
        <source>Check the convention of the function you call and convert explicitly: ~mask (or mask == 0) turns True = attend into True = blocked, e.g. key_padding_mask = (attention_mask == 0) for a Hugging Face mask. maskscope dump --convention shows the same mask in each framework&apos;s spelling.</source>
        <translation>查清所调用函数的约定，并显式转换：~mask（或 mask == 0）把 True = 关注 变为 True = 屏蔽，例如对 Hugging Face 的掩码使用 key_padding_mask = (attention_mask == 0)。maskscope dump --convention 会用各个框架的写法给出同一个掩码。</translation>
    </message>
    <message>
        <source>Padding not masked</source>
        <translation>没有屏蔽填充</translation>
    </message>
    <message>
        <source>The batch is padded to one length but the padding is not masked: no key_padding_mask is passed, or the padding part of the decoder&apos;s attn_mask (padding mask plus sequence mask, seed 003) is forgotten, while the other rules stay. The padded keys are then allowed: every query gives part of its weight to &lt;pad&gt; embeddings, so the same sentence gets different outputs in batches padded to different lengths. Padded queries are a separate matter: their rows are computed whether or not the keys are masked (PyTorch does not block them) and mean nothing; mistaking them for real rows in the loss or when pooling is the other way padding leaks in.</source>
        <translation>批次被填充到同一长度，但填充没有被屏蔽：没有传入 key_padding_mask，或者忘了解码器 attn_mask 中的填充部分（填充掩码加序列掩码，源文档 003），而其他规则都还在。于是填充位置的键被允许：每个查询都把一部分权重分给了 &lt;pad&gt; 的嵌入，同一个句子在填充到不同长度的批次中会得到不同的输出。填充的查询是另一回事：无论键是否被屏蔽，它们所在的行都照样计算（PyTorch 不会屏蔽它们），但没有意义；在计算损失或池化时把它们当成真实的行，是填充混入结果的另一条途径。</translation>
    </message>
    <message>
        <source>Mask the padded keys: nn.MultiheadAttention(..., key_padding_mask=(input_ids == pad_id)) with True = pad; for F.scaled_dot_product_attention fold it into the bool attn_mask (True = attend) as attn_mask &amp; ~pad[:, None, None, :]; Hugging Face models take attention_mask (1 = real token). Drop padded query rows from the loss and from pooling.</source>
        <translation>屏蔽填充位置的键：nn.MultiheadAttention(..., key_padding_mask=(input_ids == pad_id))，其中 True = 填充；对 F.scaled_dot_product_attention，把它合并进布尔 attn_mask（True = 关注），写作 attn_mask &amp; ~pad[:, None, None, :]；Hugging Face 模型接收 attention_mask（1 = 真实词元）。计算损失和池化时去掉填充查询所在的行。</translation>
    </message>
    <message>
        <source>Causal mask on the wrong side of the diagonal</source>
        <translation>因果掩码放错了对角线的一侧</translation>
    </message>
    <message>
        <source>Seed 000&apos;s prose says the no-peek mask is -inf on and below the diagonal and 0 above it. Built that way the mask blocks j &lt;= i: query i sees only the keys after it, that is only the future, the exact opposite of a causal mask, and the last query sees nothing, so its row is -inf everywhere and its weights are NaN (0/0) under a -inf fill. The seed&apos;s code and printed tensor are right: torch.triu(ones) == 1 is True on and above the diagonal, .transpose(0, 1) moves it on and below, and masked_fill(mask == 0, -inf) puts -inf strictly above the diagonal, so query i sees the keys j &lt;= i. The same prose also says -inf cells should be attended (they get weight exactly 0) and that 0 cells come out of softmax as 1 (a 0 leaves the logit unchanged); seed 001 likewise names the wrong corners of its causal mask, whose True cells lie on and below the diagonal.</source>
        <translation>源文档 000 的正文说，防偷看掩码在对角线及其下方为 -inf，上方为 0。按这种说法构造的掩码屏蔽的是 j &lt;= i：查询 i 只能看到它之后的键，也就是只能看到未来，恰好与因果掩码相反；最后一个查询什么也看不到，它这一行全是 -inf，屏蔽值为 -inf 时权重为 NaN（0/0）。而该文档的代码和打印出的张量是对的：torch.triu(ones) == 1 在对角线及其上方为 True，.transpose(0, 1) 把它移到对角线及其下方，masked_fill(mask == 0, -inf) 把 -inf 放在严格位于对角线上方的位置，因此查询 i 看到的是键 j &lt;= i。同一段正文还说 -inf 的单元格应被关注（其实它们的权重恰好为 0），以及 0 的单元格经 softmax 后为 1（其实加 0 只是让 logit 保持不变）；源文档 001 同样说错了其因果掩码的角，它的 True 单元格位于对角线及其下方。</translation>
    </message>
    <message>
        <source>Block the keys after the query, j &gt; i: torch.triu(torch.full((L, L), float(&apos;-inf&apos;)), diagonal=1) as a float mask, torch.ones(L, L, dtype=torch.bool).triu(1) as nn.MultiheadAttention&apos;s bool mask (True = blocked), nn.Transformer.generate_square_subsequent_mask(L), or is_causal=True in F.scaled_dot_product_attention.</source>
        <translation>屏蔽查询之后的键，即 j &gt; i：浮点掩码用 torch.triu(torch.full((L, L), float(&apos;-inf&apos;)), diagonal=1)，nn.MultiheadAttention 的布尔掩码（True = 屏蔽）用 torch.ones(L, L, dtype=torch.bool).triu(1)，或者用 nn.Transformer.generate_square_subsequent_mask(L)，或在 F.scaled_dot_product_attention 中设置 is_causal=True。</translation>
    </message>
    <message>
        <source>Add the mask: logits + mask</source>
        <translation>加上掩码：logits + mask</translation>
    </message>
    <message>
        <source>The mask is a float tensor, 0 where allowed and the fill where blocked, added to the logits: what nn.MultiheadAttention and scaled_dot_product_attention do with a float attn_mask (a bool mask first becomes 0/-inf) and what the TensorFlow tutorial does with logits += mask * -1e9 (seed 004). A blocked cell holds logit + fill. With -inf it is -inf like under replace. With a finite fill it keeps the logit&apos;s variation as far as the format resolves it: a fully blocked row then gets softmax(logit + fill), which is the unmasked weights to about 7 digits in float64 (softmax ignores a common shift) but uniform weights in float32 with -1e9, whose spacing near 1e9 is 64; a fill of -5 gives logit - 5, which blocks only partly.</source>
        <translation>掩码是一个浮点张量，允许处为 0，屏蔽处为屏蔽值，直接加到 logits 上：nn.MultiheadAttention 和 scaled_dot_product_attention 对浮点 attn_mask 就是这样处理的（布尔掩码先变成 0/-inf），TensorFlow 教程中的 logits += mask * -1e9 也是如此（源文档 004）。被屏蔽的单元格存的是 logit + 屏蔽值。屏蔽值为 -inf 时结果就是 -inf，与替换方式相同。屏蔽值为有限数时，它在数值格式能分辨的范围内保留了 logit 的差异：完全被屏蔽的行于是得到 softmax(logit + 屏蔽值)，在 float64 中这与未加掩码的权重大约前 7 位相同（softmax 不受整体平移影响），但在 float32 中用 -1e9 时则是均匀权重，因为 1e9 附近的 float32 间距是 64；屏蔽值为 -5 时得到 logit - 5，只能部分屏蔽。</translation>
    </message>
    <message>
        <source>Replace blocked logits: masked_fill</source>
        <translation>替换被屏蔽的 logits：masked_fill</translation>
    </message>
    <message>
        <source>Blocked logits are overwritten with the fill, scores.masked_fill(blocked, fill), as seed 001 means to do. A blocked cell holds the fill itself, whatever its logit was. With -inf this is the same as adding; with a finite fill every blocked cell of a row is equal, so a fully blocked row gets uniform weights 1/Lk in every format, and a fill of -5 is exactly -5, which an allowed logit below -5 cannot beat.</source>
        <translation>被屏蔽的 logits 被屏蔽值覆盖，即 scores.masked_fill(blocked, fill)，这正是源文档 001 本来想做的。无论原来的 logit 是多少，被屏蔽的单元格存的都是屏蔽值本身。屏蔽值为 -inf 时这与相加相同；屏蔽值为有限数时，一行中所有被屏蔽的单元格都相等，所以完全被屏蔽的行在任何格式下都得到均匀权重 1/Lk；屏蔽值 -5 就精确地是 -5，低于 -5 的允许 logit 就比不过它。</translation>
    </message>
    <message>
        <source>Plain softmax: NaN</source>
        <translation>普通 softmax：NaN</translation>
    </message>
    <message>
        <source>Safe softmax: zeros</source>
        <translation>安全 softmax：全零</translation>
    </message>
    <message>
        <source>A row with no allowed key gets weight 0 on every key, so each head contributes 0 and the output row is out_proj.bias alone. This is scaled_dot_product_attention&apos;s _safe_softmax since PyTorch 2.5 (for rows that are -inf everywhere), FlashAttention (a query without keys writes 0), and Keras 3 since 2025 (the softmax output is multiplied by the mask).</source>
        <translation>没有任何允许键的行在每个键上的权重都是 0，所以每个注意力头的贡献都是 0，输出的这一行只剩 out_proj.bias。PyTorch 2.5 起 scaled_dot_product_attention 的 _safe_softmax（针对处处为 -inf 的行）、FlashAttention（没有键的查询写入 0）以及 2025 年起的 Keras 3（softmax 输出乘以掩码）都是这样做的。</translation>
    </message>
    <message>
        <source>Uniform: 1/Lk</source>
        <translation>均匀：1/Lk</translation>
    </message>
    <message>
        <source>A row with no allowed key spreads its weight evenly, 1/Lk on every key, blocked or not: what masked_fill with a finite fill such as -1e9 or finfo.min gives (every cell of the row holds the same value), and what adding -1e9 in float32 usually gives (logit - 1e9 rounds to -1e9 for |logit| &lt; 32). The row&apos;s output is the mean of all value vectors, including the keys that were meant to be hidden, as in rows 1 and 2 of seed 002&apos;s attn_mask.</source>
        <translation>没有任何允许键的行把权重平均分配，每个键都是 1/Lk，无论是否被屏蔽：masked_fill 使用 -1e9 或 finfo.min 这样的有限屏蔽值时就是这个结果（该行每个单元格的值都相同），在 float32 中加上 -1e9 通常也是如此（|logit| &lt; 32 时 logit - 1e9 舍入为 -1e9）。这一行的输出是所有值向量的平均，连本应隐藏的键也算在内，正如源文档 002 的 attn_mask 中第 1、2 行那样。</translation>
    </message>
    <message>
        <source>The inputs&apos; own format</source>
        <translation>输入自身的格式</translation>
    </message>
    <message>
        <source>float32 for MaskScope&apos;s synthetic inputs; float32 or float64 as loaded from files. Nothing is rounded beyond the compute type.</source>
        <translation>MaskScope 的合成输入为 float32；从文件载入时为 float32 或 float64。除计算类型本身外不做额外舍入。</translation>
    </message>
    <message>
        <source>float32</source>
        <translation>float32</translation>
    </message>
    <message>
        <source>IEEE single precision: 24-bit significand, finite up to 3.4e38. -1e9 and finfo(float32).min both fit; -1e9 swamps any realistic logit, since the spacing of float32 near 1e9 is 64. float64 files are converted.</source>
        <translation>IEEE 单精度：24 位有效数字，有限值最大到 3.4e38。-1e9 和 finfo(float32).min 都能表示；-1e9 会淹没任何实际的 logit，因为 1e9 附近 float32 的间距是 64。float64 文件会被转换。</translation>
    </message>
    <message>
        <source>float16 (emulated)</source>
        <translation>float16（模拟）</translation>
    </message>
    <message>
        <source>IEEE half precision: 11-bit significand, finite only up to 65504. -1e9 does not fit: torch.tensor(-1e9).half() and adding -1e9 to a half tensor give -inf, and masked_fill(mask, -1e9) on a half tensor raises &apos;value cannot be converted to type at::Half without overflow&apos;; MaskScope converts it as .half() does, to -inf, and warns. finfo(float16).min = -65504 fits, but logit + (-65504) overflows to -inf once the logit is -16 or less, so a fully blocked row can still become NaN when the mask is added. Softmax saturates: weights below 3e-8 round to exactly 0, and near 1 the spacing is 0.0005. Every stored intermediate is rounded; products accumulate in float32.</source>
        <translation>IEEE 半精度：11 位有效数字，有限值最大只到 65504。-1e9 无法表示：torch.tensor(-1e9).half() 以及把 -1e9 加到半精度张量上都会得到 -inf，而对半精度张量调用 masked_fill(mask, -1e9) 会报错 &apos;value cannot be converted to type at::Half without overflow&apos;；MaskScope 像 .half() 一样把它转换为 -inf，并给出警告。finfo(float16).min = -65504 可以表示，但当 logit 小于等于 -16 时 logit + (-65504) 会溢出为 -inf，所以采用相加方式时，完全被屏蔽的行仍可能变成 NaN。softmax 会饱和：小于 3e-8 的权重舍入为精确的 0，接近 1 处的间距是 0.0005。每个存储的中间结果都经过舍入；乘积在 float32 中累加。</translation>
    </message>
    <message>
        <source>bfloat16 (emulated)</source>
        <translation>bfloat16（模拟）</translation>
    </message>
    <message>
        <source>Brain float: float32&apos;s range with an 8-bit significand, about 3 significant digits. -1e9 fits but is stored as -998244352; finfo(bfloat16).min = -3.39e38. Logits, weights and outputs keep only about 3 digits: a weight of 0.9997 rounds to 1.0, so the weights of a row can add up to slightly more than 1. Every stored intermediate is rounded; products accumulate in float32, as PyTorch&apos;s CPU bfloat16 kernels do.</source>
        <translation>Brain float：与 float32 相同的范围，8 位有效数字，约 3 位十进制有效数字。-1e9 可以表示，但存储为 -998244352；finfo(bfloat16).min = -3.39e38。logits、权重和输出只保留约 3 位有效数字：权重 0.9997 会舍入为 1.0，因此一行的权重之和可能略大于 1。每个存储的中间结果都经过舍入；乘积在 float32 中累加，与 PyTorch 的 CPU bfloat16 内核一致。</translation>
    </message>
    <message>
        <source>has allowed keys</source>
        <translation>有允许的键</translation>
    </message>
    <message>
        <source>The row has at least one allowed key: an ordinary softmax.</source>
        <translation>这一行至少有一个允许的键：普通的 softmax。</translation>
    </message>
    <message>
        <source>no allowed key: weights NaN</source>
        <translation>没有允许的键：权重为 NaN</translation>
    </message>
    <message>
        <source>Every cell of the row is -inf; softmax divides 0 by 0, and NaN spreads into the output row.</source>
        <translation>这一行每个单元格都是 -inf；softmax 计算 0 除以 0，NaN 传播到输出的这一行。</translation>
    </message>
    <message>
        <source>no allowed key: weights 0 (safe softmax)</source>
        <translation>没有允许的键：权重为 0（安全 softmax）</translation>
    </message>
    <message>
        <source>The safe softmax sets the row&apos;s weights to 0; the output row is out_proj.bias.</source>
        <translation>安全 softmax 把这一行的权重设为 0；输出的这一行就是 out_proj.bias。</translation>
    </message>
    <message>
        <source>no allowed key: weights uniform (1/Lk)</source>
        <translation>没有允许的键：权重均匀（1/Lk）</translation>
    </message>
    <message>
        <source>The row&apos;s weight is spread evenly over every key, the blocked ones included; its output is the mean of all value vectors.</source>
        <translation>这一行的权重平均分配给所有键，包括被屏蔽的键；其输出是所有值向量的平均。</translation>
    </message>
    <message>
        <source>no allowed key: softmax of logit + fill</source>
        <translation>没有允许的键：对 logit + 屏蔽值做 softmax</translation>
    </message>
    <message>
        <source>The finite fill was added to every logit of the row. Softmax ignores a common shift, so where the format still resolves logit + fill the row gets its unmasked weights; where the fill swamps the logits they become equal and the weights uniform; in float16 logit + fill may even overflow to -inf and give NaN.</source>
        <translation>有限的屏蔽值被加到了这一行的每个 logit 上。softmax 不受整体平移影响，所以只要数值格式还能分辨 logit + 屏蔽值，这一行得到的就是未加掩码时的权重；屏蔽值淹没了 logits 时，它们变得相等，权重也就变得均匀；在 float16 中 logit + 屏蔽值甚至可能溢出为 -inf，从而得到 NaN。</translation>
    </message>
    <message>
        <source>no allowed key, but the mask was never applied</source>
        <translation>没有允许的键，但掩码从未生效</translation>
    </message>
    <message>
        <source>The mask blocks every key of this row, but masked_fill&apos;s result was thrown away: the row&apos;s weights are the unmasked ones.</source>
        <translation>掩码屏蔽了这一行的每个键，但 masked_fill 的结果被丢弃了：这一行的权重就是未加掩码时的权重。</translation>
    </message>
    <message>
        <source>the fill %1 does not fit in %2: PyTorch&apos;s masked_fill refuses it (value cannot be converted without overflow), and .to(%2) turns it into %3, which MaskScope uses</source>
        <translation>屏蔽值 %1 超出了 %2 的表示范围：PyTorch 的 masked_fill 会拒绝它（value cannot be converted without overflow），而 .to(%2) 会把它变成 %3，MaskScope 采用后者</translation>
    </message>
    <message>
        <source>the fill %1 is not negative, so it blocks nothing: a blocked key keeps its weight or gains more; blocking needs a large negative fill (neg-inf, lowest or -1e9)</source>
        <translation>屏蔽值 %1 不是负数，因此什么也屏蔽不了：被屏蔽的键保留原有权重，甚至得到更多；屏蔽需要一个很大的负数（neg-inf、lowest 或 -1e9）</translation>
    </message>
    <message>
        <source>A row with no allowed key is -inf everywhere, and softmax computes exp(-inf - (-inf)) = exp(NaN): every weight of the row is NaN, and the NaN reaches the output row. This is what torch.softmax and nn.MultiheadAttention return; one such row is enough to turn a loss into NaN. With a finite fill the row is not -inf and softmax returns what the fill gives (see the mask application). With a sink logit (--sink-logit, gpt-oss) the row is not empty for the softmax: the extra column takes all the weight and is dropped, so every weight of the row is 0, not NaN.</source>
        <translation>没有任何允许键的行处处为 -inf，softmax 计算 exp(-inf - (-inf)) = exp(NaN)：该行每个权重都是 NaN，NaN 还会传到输出的这一行。torch.softmax 和 nn.MultiheadAttention 返回的就是这个结果；只要有一行这样，损失就会变成 NaN。屏蔽值为有限数时这一行不是 -inf，softmax 返回的取决于屏蔽值（见掩码的施加方式）。有汇聚 logit 时（选项 --sink-logit，gpt-oss），这一行对 softmax 来说并不为空：额外的那一列拿走全部权重后被丢弃，所以该行每个权重都是 0，而不是 NaN。</translation>
    </message>
</context>
<context>
    <name>Presets</name>
    <message>
        <source>Encoder self-attention (padding only)</source>
        <translation>编码器自注意力（仅填充）</translation>
    </message>
    <message>
        <source>A BERT-style encoder reads a padded sentence. Every token may look at every real token in both directions; the three padding keys are blocked. The padded query rows are still computed: they carry no meaning.</source>
        <translation>一个 BERT 式的编码器读取一个填充过的句子。每个词元都可以双向关注所有真实词元；三个填充位置的键被屏蔽。填充查询所在的行仍会计算，但没有意义。</translation>
    </message>
    <message>
        <source>Decoder self-attention (causal + padding)</source>
        <translation>解码器自注意力（因果 + 填充）</translation>
    </message>
    <message>
        <source>A GPT-style decoder: each token may only look at itself and earlier tokens (the lower triangle), so it cannot peek at the word it must predict. Padding keys are blocked as well.</source>
        <translation>一个 GPT 式的解码器：每个词元只能关注自身和之前的词元（下三角），因此无法偷看它要预测的词。填充位置的键也被屏蔽。</translation>
    </message>
    <message>
        <source>Cross-attention (source padding)</source>
        <translation>交叉注意力（源序列填充）</translation>
    </message>
    <message>
        <source>A translation decoder with 6 target tokens (queries) attends to a padded source sentence of 10 tokens (keys). Only the source padding is masked: every target token may look at every real source token.</source>
        <translation>一个翻译解码器用 6 个目标词元（查询）关注一个填充到 10 个词元的源句子（键）。只屏蔽源序列的填充：每个目标词元都可以关注所有真实的源词元。</translation>
    </message>
    <message>
        <source>A batch of sentences of different lengths</source>
        <translation>一批长度不同的句子</translation>
    </message>
    <message>
        <source>Three sentences of 10, 6 and 8 tokens are padded to the same length so that they fit in one tensor. Each batch item gets its own padding mask: switch the batch item above the heatmap to compare them.</source>
        <translation>长度分别为 10、6、8 个词元的三个句子被填充到相同长度，以便放进同一个张量。批次中的每一项都有自己的填充掩码：在热力图上方切换批次项即可比较。</translation>
    </message>
    <message>
        <source>Why NaN? Causal mask with left padding</source>
        <translation>为什么是 NaN？因果掩码加左侧填充</translation>
    </message>
    <message>
        <source>Left padding puts the pads first. With a causal mask the first query rows may only see earlier keys, which are all padding: those rows have no allowed key, and under a -inf fill their softmax is NaN. Switch the fill to -1e9 to see the weights become uniform instead.</source>
        <translation>左侧填充把填充放在最前面。加上因果掩码后，前几个查询行只能看到更早的键，而它们全是填充：这些行没有任何允许的键，屏蔽值为 -inf 时它们的 softmax 结果是 NaN。把屏蔽值改为 -1e9，可以看到权重变成均匀分布。</translation>
    </message>
    <message>
        <source>Packed documents (sequence packing)</source>
        <translation>打包的文档（序列打包）</translation>
    </message>
    <message>
        <source>Three short documents packed into one sequence of 16, as training pipelines do to avoid padding. Each token may only see earlier tokens of its own document: the mask is block-diagonal with a causal triangle in every block. Switch on View → Block-sparsity tiles with B = 16 to see why kernels skip most of it at scale.</source>
        <translation>三篇短文档被打包进一个长度为 16 的序列，训练流水线常这样做以避免填充。每个词元只能看到同一文档中更早的词元：掩码呈块对角结构，每个块内是一个因果三角形。打开“视图 → 块稀疏分块”并设 B = 16，可以看到为什么在大规模时核函数能跳过其中的大部分。</translation>
    </message>
    <message>
        <source>Long context: L = 131072, sliding window</source>
        <translation>长上下文：L = 131072，滑动窗口</translation>
    </message>
    <message>
        <source>A Mistral-style sliding window of 4096 keys with 4 global tokens at a context of 131072. Logits and weights would need hundreds of GiB, so the window shows the mask alone, drawn from the rules at screen resolution: zoom with the wheel down to single cells, drag to pan, and read the exact share of tiles a block-sparse kernel skips.</source>
        <translation>Mistral 风格的滑动窗口：上下文长度 131072，窗口 4096 个键，外加 4 个全局 token。logits 和权重需要数百 GiB，所以窗口只显示掩码，按屏幕分辨率直接由规则绘制：用滚轮缩放直到单个单元格，拖动平移，并读出块稀疏核函数能跳过的块的精确比例。</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Out of memory while computing the figure.</source>
        <translation>计算图时内存不足。</translation>
    </message>
</context>
<context>
    <name>RuleNames</name>
    <message>
        <source>unbounded</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>window %1 left, %2 right</source>
        <translation>滑动窗口 左 %1、右 %2</translation>
    </message>
    <message>
        <source>aligned bottom-right</source>
        <translation>右下对齐</translation>
    </message>
    <message>
        <source>dilation %1</source>
        <translation>膨胀 %1</translation>
    </message>
    <message numerus="yes">
        <source>prefix-LM, %n bidirectional token(s)</source>
        <translation>
            <numerusform>前缀 LM，%n 个双向词元</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n document(s) (%1)</source>
        <translation>
            <numerusform>%n 个文档（%1）</numerusform>
        </translation>
    </message>
    <message>
        <source>chunks of %1</source>
        <translation>分块大小 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n global token(s)</source>
        <translation>
            <numerusform>%n 个全局 token</numerusform>
        </translation>
    </message>
    <message>
        <source>mask file %1</source>
        <translation>掩码文件 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n cell(s) painted</source>
        <translation>
            <numerusform>手绘 %n 个单元格</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n attention sink(s)</source>
        <translation>
            <numerusform>%n 个注意力汇聚</numerusform>
        </translation>
    </message>
    <message>
        <source>block-causal, blocks of %1</source>
        <translation>块因果，块大小 %1</translation>
    </message>
    <message numerus="yes">
        <source>%n bidirectional span(s)</source>
        <translation>
            <numerusform>%n 个双向区间</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>draft tree of %n node(s)</source>
        <translation>
            <numerusform>%n 个节点的草稿树</numerusform>
        </translation>
    </message>
    <message>
        <source>%1×%2 neighbourhood on a %3×%4 grid</source>
        <translation>%3×%4 网格上的 %1×%2 邻域</translation>
    </message>
</context>
<context>
    <name>StartSession</name>
    <message>
        <source>The last session&apos;s parameters were not restored: %1. These are the defaults.</source>
        <translation>上次会话的参数未能恢复：%1。当前使用的是默认参数。</translation>
    </message>
    <message>
        <source>MaskScope</source>
        <translation>MaskScope</translation>
    </message>
    <message>
        <source>MaskScope stopped while it was computing, perhaps because the last parameters need more memory than there is.</source>
        <translation>MaskScope 上次在计算时停止了，可能是因为上次的参数需要的内存超出了可用内存。</translation>
    </message>
    <message>
        <source>Start from the default parameters?</source>
        <translation>要从默认参数开始吗？</translation>
    </message>
    <message>
        <source>Start from defaults</source>
        <translation>从默认参数开始</translation>
    </message>
    <message>
        <source>Restore the last parameters</source>
        <translation>恢复上次的参数</translation>
    </message>
</context>
<context>
    <name>TraceJob</name>
    <message>
        <source>not enough memory for these sizes; reduce the sequence length or heads</source>
        <translation>内存不足以支持这些尺寸；请减小序列长度或注意力头数</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::AlignmentCompareDialog</name>
    <message>
        <source>Causal alignment, side by side</source>
        <translation>因果对齐方式并排对比</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>%1 queries × %2 keys are too many cells to compare here.</source>
        <translation>%1 个查询 × %2 个键：单元格太多，无法在这里对比。</translation>
    </message>
    <message>
        <source>Queries and keys have the same length: both alignments give the same mask.</source>
        <translation>查询与键的长度相同：两种对齐方式得到的掩码相同。</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::ControlPanel</name>
    <message>
        <source>Use synthetic inputs instead</source>
        <translation>改用合成输入</translation>
    </message>
    <message>
        <source>Start from a classic case</source>
        <translation>从经典案例开始</translation>
    </message>
    <message>
        <source>Choose a preset…</source>
        <translation>选择预设…</translation>
    </message>
    <message>
        <source>Sequence</source>
        <translation>序列</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>Number of tokens: the keys, and in self-attention the queries too</source>
        <translation>词元个数：即键的个数，在自注意力中也是查询的个数</translation>
    </message>
    <message>
        <source>Cross-attention: separate queries</source>
        <translation>交叉注意力：查询来自另一序列</translation>
    </message>
    <message>
        <source>Queries come from another sequence, e.g. a decoder reading the encoder&apos;s output</source>
        <translation>查询来自另一个序列，例如解码器读取编码器的输出</translation>
    </message>
    <message>
        <source>Query length</source>
        <translation>查询长度</translation>
    </message>
    <message>
        <source>Words of the sequence; they repeat when the sequence is longer</source>
        <translation>序列中的词；序列更长时循环重复</translation>
    </message>
    <message>
        <source>Words</source>
        <translation>词</translation>
    </message>
    <message>
        <source>Batch and padding</source>
        <translation>批次与填充</translation>
    </message>
    <message>
        <source>Sentences processed together; shorter ones are padded to the same length</source>
        <translation>一起处理的句子数；较短的句子会被填充到相同长度</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Pad shorter sentences</source>
        <translation>填充较短的句子</translation>
    </message>
    <message>
        <source>Sentences shorter than the length are filled up with &lt;pad&gt; tokens, which the mask hides from every query</source>
        <translation>比序列长度短的句子用 &lt;pad&gt; 词元补齐，掩码会对所有查询隐藏这些词元</translation>
    </message>
    <message>
        <source>right, after the words</source>
        <translation>右侧，在词之后</translation>
    </message>
    <message>
        <source>left, before the words</source>
        <translation>左侧，在词之前</translation>
    </message>
    <message>
        <source>Pads go</source>
        <translation>填充位置</translation>
    </message>
    <message>
        <source>Mask rules</source>
        <translation>掩码规则</translation>
    </message>
    <message>
        <source>Causal: no peeking at later tokens</source>
        <translation>因果：不能偷看后面的词元</translation>
    </message>
    <message>
        <source>Query i may only attend to keys 0..i, as in a decoder (torch.tril)</source>
        <translation>查询 i 只能关注键 0..i，与解码器相同（torch.tril）</translation>
    </message>
    <message>
        <source>The value added to the logits of blocked keys</source>
        <translation>加到被屏蔽键的 logits 上的值</translation>
    </message>
    <message>
        <source>Blocked cells get</source>
        <translation>屏蔽单元格的值</translation>
    </message>
    <message>
        <source>Number</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>注意力头</translation>
    </message>
    <message>
        <source>Size of each token&apos;s vector; every head gets d_model / heads of it</source>
        <translation>每个词元向量的维度；每个注意力头分到 d_model / 头数 维</translation>
    </message>
    <message>
        <source>d_model</source>
        <translation>d_model</translation>
    </message>
    <message>
        <source>Seed of the random embeddings and weights</source>
        <translation>随机嵌入和权重的种子</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Inputs are read from %1; their sizes are fixed.</source>
        <translation>输入读取自 %1；其尺寸固定。</translation>
    </message>
    <message numerus="yes">
        <source>words + %n pad(s)</source>
        <translation>
            <numerusform>个词 + %n 个填充</numerusform>
        </translation>
    </message>
    <message>
        <source>Items %1 to %2 keep the lengths given on the command line.</source>
        <translation>第 %1 到 %2 项保持命令行给出的长度。</translation>
    </message>
    <message>
        <source>How many real words sentence %1 has; the rest is padding</source>
        <translation>句子 %1 有多少个真实的词；其余为填充</translation>
    </message>
    <message>
        <source>Sentence %1 has</source>
        <translation>句子 %1 有</translation>
    </message>
    <message>
        <source>Each head works in d_k = %1 / %2 = %3 dimensions.</source>
        <translation>每个注意力头在 d_k = %1 / %2 = %3 维中计算。</translation>
    </message>
    <message>
        <source>%1 heads do not divide d_model %2: each head needs a whole share of the dimensions.</source>
        <translation>d_model %2 不能被 %1 个注意力头整除：每个头需要分到整数个维度。</translation>
    </message>
    <message>
        <source>Equal lengths: the queries are the same tokens as the keys (self-attention).</source>
        <translation>长度相等：查询与键是同一组词元（自注意力）。</translation>
    </message>
    <message>
        <source>Cannot compute: %1</source>
        <translation>无法计算：%1</translation>
    </message>
    <message>
        <source>%1 (slider)</source>
        <translation>%1（滑块）</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::ConventionsPanel</name>
    <message>
        <source>Polarity: read it the other way round</source>
        <translation>极性：反过来解读</translation>
    </message>
    <message>
        <source>What the framework does when this bool mask is passed with the opposite meaning</source>
        <translation>把这个布尔掩码按相反的含义传入时，框架会怎样处理</translation>
    </message>
    <message>
        <source>Copy code</source>
        <translation>复制代码</translation>
    </message>
    <message>
        <source>%1 — bool mask: %2</source>
        <translation>%1 — 布尔掩码：%2</translation>
    </message>
    <message>
        <source>Waiting for the first result…</source>
        <translation>正在等待第一个结果…</translation>
    </message>
    <message>
        <source>%1 queries × %2 keys is too large to write out here; `maskscope dump --convention %3` writes it.</source>
        <translation>%1 个查询 × %2 个键太大，无法在这里写出；可以用 `maskscope dump --convention %3` 写出。</translation>
    </message>
    <message>
        <source>Cannot write this mask: %1</source>
        <translation>无法写出这个掩码：%1</translation>
    </message>
    <message numerus="yes">
        <source>Read as “%1” instead of “%2”: %n cell(s) flip.</source>
        <translation>
            <numerusform>按“%1”而不是“%2”解读：%n 个单元格翻转。</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 allowed cells become blocked, %2 blocked cells become allowed.</source>
        <translation>%1 个允许的单元格变为屏蔽，%2 个被屏蔽的单元格变为允许。</translation>
    </message>
    <message>
        <source>Padding is attended: %1 cells on padding keys, while real keys are blocked.</source>
        <translation>填充被关注了：%1 个单元格落在填充位置的键上，而真实的键反被屏蔽。</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) have no allowed key left: their weights are NaN under a −∞ fill (first: query %1).</source>
        <translation>
            <numerusform>%n 行不再有任何允许的键：屏蔽值为 −∞ 时，这些行的权重为 NaN（第一个：查询 %1）。</numerusform>
        </translation>
    </message>
    <message>
        <source>Framework</source>
        <translation>框架</translation>
    </message>
    <message>
        <source>The mask&apos;s tensors in this spelling</source>
        <translation>该写法下的掩码张量</translation>
    </message>
    <message>
        <source>Code snippet</source>
        <translation>代码片段</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::EditActions</name>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>Reset to &amp;defaults</source>
        <translation>恢复默认值(&amp;D)</translation>
    </message>
    <message>
        <source>Preset ‘%1’</source>
        <translation>预设“%1”</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>撤销 %1(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Redo %1</source>
        <translation>重做 %1(&amp;R)</translation>
    </message>
    <message>
        <source>Reset to defaults</source>
        <translation>恢复默认值</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::ExportDialog</name>
    <message>
        <source>Export figure</source>
        <translation>导出图</translation>
    </message>
    <message>
        <source>The current view</source>
        <translation>当前视图</translation>
    </message>
    <message>
        <source>All heads as a grid</source>
        <translation>所有注意力头（网格）</translation>
    </message>
    <message>
        <source>Mean over heads</source>
        <translation>注意力头的平均</translation>
    </message>
    <message>
        <source>Pipeline of the current head (mask → logits → masked logits → weights)</source>
        <translation>当前注意力头的流程（掩码 → logits → 掩码后的 logits → 权重）</translation>
    </message>
    <message>
        <source>DPI</source>
        <translation>DPI</translation>
    </message>
    <message>
        <source>Pixels</source>
        <translation>像素</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>The extension chooses the format: .png, .svg or .pdf</source>
        <translation>扩展名决定格式：.png、.svg 或 .pdf</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Copy to clipboard</source>
        <translation>复制到剪贴板</translation>
    </message>
    <message>
        <source>Figure:</source>
        <translation>图：</translation>
    </message>
    <message>
        <source>Title:</source>
        <translation>标题：</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>浅色</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>深色</translation>
    </message>
    <message>
        <source>Theme:</source>
        <translation>主题：</translation>
    </message>
    <message>
        <source>Size:</source>
        <translation>尺寸：</translation>
    </message>
    <message>
        <source>Numbers inside cells</source>
        <translation>在单元格中显示数值</translation>
    </message>
    <message>
        <source>Colour bar</source>
        <translation>色条</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>文件：</translation>
    </message>
    <message>
        <source>Computing the figure…</source>
        <translation>正在计算图…</translation>
    </message>
    <message>
        <source>Offered for matrices up to %1 × %1</source>
        <translation>仅适用于不超过 %1 × %1 的矩阵</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG drawing (*.svg);;PDF document (*.pdf)</source>
        <translation>PNG 图像 (*.png);;SVG 矢量图 (*.svg);;PDF 文档 (*.pdf)</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>default: the figure&apos;s own title</source>
        <translation>默认：图自身的标题</translation>
    </message>
    <message>
        <source>Before / after: the mistake next to the fixed code</source>
        <translation>前后对照：错误与修正后的代码并排</translation>
    </message>
    <message>
        <source>Switch a mistake on in the pitfall lab to compare it with the fixed code</source>
        <translation>在陷阱实验室中打开一个错误，即可与修正后的代码对照</translation>
    </message>
    <message>
        <source>Block-sparsity tiles</source>
        <translation>块稀疏分块</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::FillChoices</name>
    <message>
        <source>−∞ (PyTorch)</source>
        <translation>−∞（PyTorch）</translation>
    </message>
    <message>
        <source>−1e9 (TF tutorial): −∞ in %1!</source>
        <translation>−1e9（TF 教程）：在 %1 中为 −∞！</translation>
    </message>
    <message>
        <source>−1e9 (TF tutorial): %1 in %2</source>
        <translation>−1e9（TF 教程）：在 %2 中为 %1</translation>
    </message>
    <message>
        <source>−1e9 (TF tutorial)</source>
        <translation>−1e9（TF 教程）</translation>
    </message>
    <message>
        <source>lowest: finfo(%1).min = %2</source>
        <translation>最小值：finfo(%1).min = %2</translation>
    </message>
    <message>
        <source>a number</source>
        <translation>自定义数值</translation>
    </message>
    <message>
        <source>%1 is not representable in %2, which is finite only up to ±%3: PyTorch&apos;s masked_fill refuses it (“value cannot be converted without overflow”), and a naive conversion such as torch.tensor(%1).half() gives −∞, which is what MaskScope uses here. A row with no allowed key then turns NaN. Choose “lowest” (%4) instead.</source>
        <translation>%1 无法用 %2 表示，%2 的有限值最大只到 ±%3：PyTorch 的 masked_fill 会拒绝它（“value cannot be converted without overflow”），而 torch.tensor(%1).half() 这样的直接转换会得到 −∞，MaskScope 在这里采用的就是这个值。于是没有允许键的行会变成 NaN。请改选“最小值”（%4）。</translation>
    </message>
    <message>
        <source>finfo(float16).min = −65504 fits, but when it is added, logit + (−65504) overflows to −∞ once the logit is −16 or less, so a finite fill can still give NaN; masked_fill (replace) keeps it finite.</source>
        <translation>finfo(float16).min = −65504 可以表示，但在相加方式下，一旦 logit 小于等于 −16，logit + (−65504) 就会溢出为 −∞，所以有限的屏蔽值仍可能得到 NaN；masked_fill（替换方式）则能让它保持有限。</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::HeatmapView</name>
    <message>
        <source>Not updated: %1</source>
        <translation>未更新：%1</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>updating…</source>
        <translation>正在更新…</translation>
    </message>
    <message>
        <source>blocked</source>
        <translation>屏蔽</translation>
    </message>
    <message>
        <source>NaN</source>
        <translation>NaN</translation>
    </message>
    <message>
        <source>query %1 “%2” → key %3 “%4”: %5 %6</source>
        <translation>查询 %1 “%2” → 键 %3 “%4”：%5 %6</translation>
    </message>
    <message>
        <source>%1. %2. The arrow keys move between cells; Enter explains the cell.</source>
        <translation>%1。%2。方向键在单元格之间移动；回车键解释当前单元格。</translation>
    </message>
    <message>
        <source>The figure is being computed.</source>
        <translation>图正在计算中。</translation>
    </message>
    <message>
        <source>Heatmap: %1</source>
        <translation>热图：%1</translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation>热图</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::HelpActions</name>
    <message>
        <source>&amp;Manual</source>
        <translation>使用手册(&amp;M)</translation>
    </message>
    <message>
        <source>About &amp;Qt</source>
        <translation>关于 &amp;Qt</translation>
    </message>
    <message>
        <source>&amp;Full screen</source>
        <translation>全屏(&amp;F)</translation>
    </message>
    <message>
        <source>&lt;p&gt;Free software under the MIT licence (its text is under Show Details).&lt;/p&gt;&lt;p&gt;&lt;a href=&quot;%1&quot;&gt;Project page&lt;/a&gt; · &lt;a href=&quot;%2&quot;&gt;Report a problem&lt;/a&gt;&lt;/p&gt;</source>
        <translation>&lt;p&gt;依 MIT 许可证发布的自由软件（许可证全文见“显示详细信息”）。&lt;/p&gt;&lt;p&gt;&lt;a href=&quot;%1&quot;&gt;项目主页&lt;/a&gt; · &lt;a href=&quot;%2&quot;&gt;报告问题&lt;/a&gt;&lt;/p&gt;</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::InspectorPanel</name>
    <message>
        <source>Point at a cell to see its query, key and numbers.</source>
        <translation>将鼠标指向单元格，查看它的查询、键和数值。</translation>
    </message>
    <message>
        <source>Click a cell to see how its weight is computed, step by step.</source>
        <translation>点击单元格，逐步查看它的权重是如何计算的。</translation>
    </message>
    <message>
        <source>What to notice</source>
        <translation>值得注意</translation>
    </message>
    <message>
        <source>Cell under the mouse</source>
        <translation>鼠标所指的单元格</translation>
    </message>
    <message>
        <source>How this weight is computed</source>
        <translation>这个权重是如何计算的</translation>
    </message>
    <message>
        <source>Nothing unusual: every query row has at least one allowed key.</source>
        <translation>没有异常：每个查询行都至少有一个允许的键。</translation>
    </message>
    <message>
        <source>“%1”</source>
        <translation>“%1”</translation>
    </message>
    <message>
        <source>Next token after %1: %2</source>
        <translation>%1 之后的下一个词元：%2</translation>
    </message>
    <message>
        <source>Without the mistake: %1</source>
        <translation>没有这个错误时：%1</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::LayersStrip</name>
    <message>
        <source>S</source>
        <extracomment>One-letter label of a sliding-window layer in the Layers strip</extracomment>
        <translation>滑</translation>
    </message>
    <message>
        <source>C</source>
        <extracomment>One-letter label of a chunked-attention layer in the Layers strip</extracomment>
        <translation>块</translation>
    </message>
    <message>
        <source>F</source>
        <extracomment>One-letter label of a full-attention (global) layer in the Layers strip</extracomment>
        <translation>全</translation>
    </message>
    <message>
        <source>window %1</source>
        <translation>窗口 %1</translation>
    </message>
    <message>
        <source>chunks of %1</source>
        <translation>%1 分块</translation>
    </message>
    <message>
        <source>full</source>
        <translation>全注意力</translation>
    </message>
    <message>
        <source>sliding window %1: each query sees itself and the %2 keys before it</source>
        <translation>滑动窗口 %1：每个查询看到自身及其之前的 %2 个键</translation>
    </message>
    <message>
        <source>chunked attention: causal within chunks of %1 positions</source>
        <translation>分块注意力：在每 %1 个位置的块内因果</translation>
    </message>
    <message>
        <source>full attention: causal over every earlier key</source>
        <translation>全注意力：因果地看到之前的所有键</translation>
    </message>
    <message>
        <source>; no positional encoding (NoPE)</source>
        <translation>；无位置编码（NoPE）</translation>
    </message>
    <message>
        <source>; logits soft-capped at %1</source>
        <translation>；logits 软上限为 %1</translation>
    </message>
    <message>
        <source>; learned sink logits (%1 stands in when none is set)</source>
        <translation>；学习得到的汇聚 logit（未设置时以 %1 代替）</translation>
    </message>
    <message>
        <source> — at L = %1 it cuts nothing off: the same mask as full attention</source>
        <translation> —— 在 L = %1 时它不截掉任何键：与全注意力的掩码相同</translation>
    </message>
    <message>
        <source>A published model configuration: which attention each of its layers uses</source>
        <translation>已发布的模型配置：它的每一层使用哪种注意力</translation>
    </message>
    <message>
        <source>Layers of %1</source>
        <translation>%1 的各层</translation>
    </message>
    <message>
        <source>they appear once the model has run</source>
        <translation>模型运行后显示</translation>
    </message>
    <message>
        <source>Layer %1: %2</source>
        <translation>第 %1 层：%2</translation>
    </message>
    <message>
        <source>Click to show this layer of the model</source>
        <translation>点击以显示模型的这一层</translation>
    </message>
    <message>
        <source>%1 · layer %2 shown: %3</source>
        <translation>%1 · 显示第 %2 层：%3</translation>
    </message>
    <message>
        <source>Layers</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Click to set these rules</source>
        <translation>点击以设置这些规则</translation>
    </message>
    <message>
        <source>%1 · click a layer to set its rules</source>
        <translation>%1 · 点击某一层以设置其规则</translation>
    </message>
    <message>
        <source>Published model</source>
        <translation>已发布的模型</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::LongMaskView</name>
    <message>
        <source>key %1</source>
        <translation>键 %1</translation>
    </message>
    <message>
        <source>query</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>Zoom: %1 px per cell · wheel or +/− to zoom, drag to pan, 0 to fit</source>
        <translation>缩放：每个单元格 %1 像素 · 滚轮或 +/− 缩放，拖动平移，按 0 适应窗口</translation>
    </message>
    <message>
        <source>%1 · zoom in to see the tiles</source>
        <translation>%1 · 放大后可看到各个块</translation>
    </message>
    <message>
        <source>query %1 → key %2: allowed</source>
        <translation>查询 %1 → 键 %2：允许</translation>
    </message>
    <message>
        <source>query %1 → key %2: blocked</source>
        <translation>查询 %1 → 键 %2：屏蔽</translation>
    </message>
    <message>
        <source>queries %1–%2 × keys %3–%4: %5% allowed</source>
        <translation>查询 %1–%2 × 键 %3–%4：%5% 允许</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::MainWindow</name>
    <message>
        <source>L %1</source>
        <translation>L %1</translation>
    </message>
    <message>
        <source>%1 queries × %2 keys</source>
        <translation>%1 个查询 × %2 个键</translation>
    </message>
    <message>
        <source>%1 · %2 heads · d_k %3 · %4</source>
        <translation>%1 · %2 个注意力头 · d_k %3 · %4</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>检查器</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Open inputs folder (.npy)…</source>
        <translation>打开输入文件夹 (.npy)(&amp;O)…</translation>
    </message>
    <message>
        <source>&amp;Export figure…</source>
        <translation>导出图(&amp;E)…</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>&amp;Copy figure</source>
        <translation>复制图(&amp;C)</translation>
    </message>
    <message>
        <source>Ctrl+Shift+C</source>
        <translation>Ctrl+Shift+C</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Presets</source>
        <translation>预设(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Dark figures</source>
        <translation>深色图(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;Numbers in cells (up to 16 × 16)</source>
        <translation>在单元格中显示数值（最多 16 × 16）(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Colour bar</source>
        <translation>色条(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About MaskScope</source>
        <translation>关于 MaskScope(&amp;A)</translation>
    </message>
    <message>
        <source>About MaskScope</source>
        <translation>关于 MaskScope</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;MaskScope&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;See attention masks at work: the mask, the raw logits, the masked logits and the softmax weights of every head, computed exactly as PyTorch&apos;s nn.MultiheadAttention does.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;MaskScope&lt;/b&gt; %1&lt;/p&gt;&lt;p&gt;看注意力掩码如何工作：每个注意力头的掩码、原始 logits、掩码后的 logits 和 softmax 权重，计算方式与 PyTorch 的 nn.MultiheadAttention 完全一致。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>computing %p%</source>
        <translation>正在计算 %p%</translation>
    </message>
    <message>
        <source>⚠ %1</source>
        <translation>⚠ %1</translation>
    </message>
    <message>
        <source>Point at a cell to inspect it; click it for the step-by-step explanation.</source>
        <translation>将鼠标指向单元格查看详情；点击它查看逐步讲解。</translation>
    </message>
    <message>
        <source>%1 · computed in %2 ms</source>
        <translation>%1 · 计算用时 %2 毫秒</translation>
    </message>
    <message>
        <source>Folder of nn.MultiheadAttention .npy inputs</source>
        <translation>nn.MultiheadAttention 的 .npy 输入文件夹</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>已导出 %1</translation>
    </message>
    <message>
        <source>Figure copied to the clipboard</source>
        <translation>图已复制到剪贴板</translation>
    </message>
    <message>
        <source>Pitfall lab</source>
        <translation>陷阱实验室</translation>
    </message>
    <message>
        <source>Mask rules</source>
        <translation>掩码规则</translation>
    </message>
    <message>
        <source>Conventions</source>
        <translation>掩码约定</translation>
    </message>
    <message>
        <source>&amp;Block-sparsity tiles (full / partial / empty)</source>
        <translation>块稀疏分块（满 / 部分 / 空）(&amp;B)</translation>
    </message>
    <message>
        <source>mask only · computed in %1 ms</source>
        <translation>仅掩码 · 计算用时 %1 毫秒</translation>
    </message>
    <message>
        <source>Export the mask view</source>
        <translation>导出掩码视图</translation>
    </message>
    <message>
        <source>PNG image (*.png);;SVG image (*.svg);;PDF document (*.pdf)</source>
        <translation>PNG 图像 (*.png);;SVG 图像 (*.svg);;PDF 文档 (*.pdf)</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::ManualDialog</name>
    <message>
        <source>MaskScope Manual</source>
        <translation>MaskScope 使用手册</translation>
    </message>
    <message>
        <source>Manual page</source>
        <translation>手册页面</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>后退</translation>
    </message>
    <message>
        <source>Forward</source>
        <translation>前进</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>目录</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::MaskDocument</name>
    <message>
        <source>the recompute stopped</source>
        <translation>重新计算已中止</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::ModelGroup</name>
    <message numerus="yes">
        <source>%n head(s)</source>
        <translation>
            <numerusform>%n 个头</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 heads sharing %2 K/V heads</source>
        <translation>%1 个头共享 %2 个 K/V 头</translation>
    </message>
    <message>
        <source>%1: %2 · %3 layers · %4 · d_model %5</source>
        <translation>%1：%2 · %3 层 · %4 · d_model %5</translation>
    </message>
    <message>
        <source>The model and its sentences decide this; choose “Use synthetic inputs” to set it by hand.</source>
        <translation>这一项由模型及其句子决定；选择“使用合成输入”即可手动设置。</translation>
    </message>
    <message>
        <source>Real model</source>
        <translation>真实模型</translation>
    </message>
    <message>
        <source>Open model…</source>
        <translation>打开模型…</translation>
    </message>
    <message>
        <source>A llama2.c .bin checkpoint, or a Hugging Face folder (choose its config.json); you can also drop either on the window</source>
        <translation>llama2.c 的 .bin 检查点，或 Hugging Face 模型文件夹（选择其中的 config.json）；也可以把它们拖放到窗口上</translation>
    </message>
    <message>
        <source>One sentence per line, each a batch item; shorter ones are padded on the side set below</source>
        <translation>每行一个句子，各为一个批次项；较短的句子在下方设定的一侧填充</translation>
    </message>
    <message>
        <source>Sentences</source>
        <translation>句子</translation>
    </message>
    <message>
        <source>The layer whose attention is shown; 0 is the first, the default the last</source>
        <translation>显示其注意力的层；0 为第一层，默认为最后一层</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Use synthetic inputs</source>
        <translation>使用合成输入</translation>
    </message>
    <message>
        <source>Tokenizer of %1</source>
        <translation>%1 的分词器</translation>
    </message>
    <message>
        <source>Tokenizers (*.bin *.model *.json);;All files (*)</source>
        <translation>分词器 (*.bin *.model *.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open a model</source>
        <translation>打开模型</translation>
    </message>
    <message>
        <source>Checkpoints (*.bin config.json *.safetensors model.safetensors.index.json);;All files (*)</source>
        <translation>检查点 (*.bin config.json *.safetensors model.safetensors.index.json);;所有文件 (*)</translation>
    </message>
    <message>
        <source>Open a llama2.c or Hugging Face checkpoint to see the attention of a real model on your own sentences.</source>
        <translation>打开 llama2.c 或 Hugging Face 检查点，查看真实模型在你自己的句子上的注意力。</translation>
    </message>
    <message>
        <source>The model cannot run: %1</source>
        <translation>模型无法运行：%1</translation>
    </message>
    <message>
        <source>%1 (not found)</source>
        <translation>%1（未找到）</translation>
    </message>
    <message>
        <source>Not found: %1</source>
        <translation>未找到：%1</translation>
    </message>
    <message>
        <source>Checkpoint: %1
Tokenizer: %2</source>
        <translation>检查点：%1
分词器：%2</translation>
    </message>
    <message>
        <source>Recent</source>
        <translation>最近打开</translation>
    </message>
    <message>
        <source>The models opened last, with their tokenizers</source>
        <translation>最近打开的模型及其分词器</translation>
    </message>
    <message>
        <source>Loading or running the model</source>
        <translation>正在加载或运行模型</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Stop waiting and go back to what the window showed before</source>
        <translation>不再等待，回到窗口之前显示的内容</translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <source>Cancelled; back to %1.</source>
        <translation>已取消；回到 %1。</translation>
    </message>
    <message>
        <source>Cancelled; back to the synthetic inputs.</source>
        <translation>已取消；回到合成输入。</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::PitfallExplanation</name>
    <message>
        <source>&lt;p&gt;Every key of this row is blocked, so every masked logit is −∞, the row max is −∞ and x − max = −∞ − (−∞) = NaN: every weight of the row is NaN, and NaN spreads into the output.</source>
        <translation>&lt;p&gt;这一行的每个键都被屏蔽，所以每个掩码后的 logit 都是 −∞，该行最大值 max 也是 −∞，x − max = −∞ − (−∞) = NaN：这一行的每个权重都是 NaN，而且 NaN 会传播到输出中。</translation>
    </message>
    <message>
        <source> The fill %1 does not fit in %2: converted, it became −∞.</source>
        <translation>屏蔽值 %1 超出了 %2 的表示范围：转换后变成了 −∞。</translation>
    </message>
    <message>
        <source>masked_fill wrote the fill into every cell, whatever the logits were</source>
        <translation>masked_fill 把屏蔽值写进了每个单元格，不管原来的 logits 是多少</translation>
    </message>
    <message>
        <source>logit + fill rounds to the same number for every key, because near %1 the spacing of %2 is %3, more than the logits&apos; spread of %4</source>
        <translation>每个键的 logit + 屏蔽值都舍入成了同一个数，因为在 %1 附近 %2 的间距是 %3，比 logits 的极差 %4 还大</translation>
    </message>
    <message>
        <source>&lt;p&gt;Every key of this row is blocked and every masked logit is the same number, %1: %2. The softmax of equal numbers is uniform: 1/%3 = %4 on every key, the blocked ones included.&lt;/p&gt;</source>
        <translation>&lt;p&gt;这一行的每个键都被屏蔽，每个掩码后的 logit 都是同一个数 %1：%2。对相等的数做 softmax 得到均匀分布：每个键都是 1/%3 = %4，被屏蔽的键也不例外。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Every key of this row is blocked, yet the weights are not uniform: the fill was added to every logit, %1 still tells the sums apart (its spacing near %2 is %3), and softmax ignores a shift common to the whole row, so the row keeps its unmasked weights (to within %4): for this row the mask did nothing.&lt;/p&gt;</source>
        <translation>&lt;p&gt;这一行的每个键都被屏蔽，权重却不均匀：屏蔽值被加到了每个 logit 上，%1 仍能分辨这些和（它在 %2 附近的间距是 %3），而 softmax 不受整行共同平移的影响，所以这一行保留了未加掩码时的权重（误差在 %4 以内）：对这一行来说，掩码什么也没做。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Every key of this row is blocked. The fill was added to every logit and %1 resolves only part of their differences (its spacing near %2 is %3): the weights run from %4 to %5, neither uniform nor the unmasked ones.&lt;/p&gt;</source>
        <translation>&lt;p&gt;这一行的每个键都被屏蔽。屏蔽值被加到了每个 logit 上，而 %1 只能分辨它们之间的一部分差异（它在 %2 附近的间距是 %3）：权重从 %4 到 %5 不等，既不均匀，也不是未加掩码时的权重。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;The mask blocks %1 of this row&apos;s %2 keys, but it was never applied: masked_fill returned a new tensor and the code threw it away, so the masked logits are the raw logits and these are the unmasked weights. The fix: &lt;code&gt;atten_scores = atten_scores.masked_fill(mask == 0, -1e9)&lt;/code&gt;.&lt;/p&gt;</source>
        <translation>&lt;p&gt;掩码屏蔽了这一行 %2 个键中的 %1 个，但它从未生效：masked_fill 返回了一个新张量，而代码把它丢弃了，所以掩码后的 logits 就是原始 logits，这里的权重也就是未加掩码时的权重。修正方法：&lt;code&gt;atten_scores = atten_scores.masked_fill(mask == 0, -1e9)&lt;/code&gt;。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>row %1</source>
        <translation>第 %1 行</translation>
    </message>
    <message>
        <source>rows %1</source>
        <translation>第 %1 行</translation>
    </message>
    <message>
        <source>%1: no allowed key; the fill is added to the logits, and softmax decides</source>
        <translation>%1：没有允许的键；屏蔽值被加到 logits 上，结果由 softmax 决定</translation>
    </message>
    <message>
        <source>%1: no allowed key; logit + fill overflowed to −∞, so the weights are NaN</source>
        <translation>%1：没有允许的键；logit + 屏蔽值溢出为 −∞，因此权重为 NaN</translation>
    </message>
    <message>
        <source>%1: no allowed key; the fill swamps the logits and the weights spread evenly over keys that were all blocked</source>
        <translation>%1：没有允许的键；屏蔽值淹没了 logits，权重被平均分配给这些全部被屏蔽的键</translation>
    </message>
    <message>
        <source>%1: no allowed key; the fill is added to every logit and softmax ignores a common shift, so the weights follow the unmasked logits instead of spreading evenly</source>
        <translation>%1：没有允许的键；屏蔽值被加到每个 logit 上，而 softmax 不受整体平移的影响，所以权重仍由未加掩码的 logits 决定，而不是平均分配</translation>
    </message>
    <message>
        <source>%1: no allowed key, so the weights are NaN (−∞ − (−∞)), and NaN spreads into the output</source>
        <translation>%1：没有允许的键，因此权重为 NaN（−∞ − (−∞)），而且 NaN 会传播到输出中</translation>
    </message>
    <message>
        <source>%1: no allowed key; the safe softmax returns zeros, and the output row is out_proj.bias alone</source>
        <translation>%1：没有允许的键；安全 softmax 返回全零，输出行只剩 out_proj.bias</translation>
    </message>
    <message>
        <source>%1: no allowed key; the weights spread evenly, 1/%2 on every key, blocked ones included</source>
        <translation>%1：没有允许的键；权重被平均分配，每个键都是 1/%2，被屏蔽的键也不例外</translation>
    </message>
    <message>
        <source>the mask&apos;s polarity is inverted (inverted-polarity): every cell the intended mask allows is blocked, and the reverse</source>
        <translation>掩码的极性反了（inverted-polarity）：原本应允许的单元格全被屏蔽，原本应屏蔽的反而被允许</translation>
    </message>
    <message>
        <source>the causal mask is on the wrong side of the diagonal (causal-backwards): it blocks this key and every earlier one</source>
        <translation>因果掩码放错了对角线的一侧（causal-backwards）：它屏蔽了这个键以及它之前的所有键</translation>
    </message>
    <message>
        <source>mask</source>
        <translation>掩码</translation>
    </message>
    <message>
        <source>never applied: masked_fill&apos;s result was thrown away, %1 goes on unchanged</source>
        <translation>从未生效：masked_fill 的结果被丢弃，%1 原样保留</translation>
    </message>
    <message>
        <source>masked_fill</source>
        <translation>masked_fill</translation>
    </message>
    <message>
        <source>blocked: the logit %1 is replaced by the fill %2</source>
        <translation>屏蔽：logit %1 被替换为屏蔽值 %2</translation>
    </message>
    <message>
        <source>+ mask</source>
        <translation>+ 掩码</translation>
    </message>
    <message>
        <source>&lt;p&gt;No key of this row is allowed. The safe softmax (SDPA since PyTorch 2.5, FlashAttention, Keras 3) returns 0 for every key instead of NaN: the row adds nothing, and its output is out_proj.bias alone.&lt;/p&gt;</source>
        <translation>&lt;p&gt;这一行没有任何允许的键。安全 softmax（PyTorch 2.5 起的 SDPA、FlashAttention、Keras 3）对每个键都返回 0，而不是 NaN：这一行什么也不贡献，其输出只剩 out_proj.bias。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;No key of this row is allowed. The uniform policy spreads the weight evenly, 1/%1 = %2 on every key, blocked or not: the output row is the mean of all value vectors.&lt;/p&gt;</source>
        <translation>&lt;p&gt;这一行没有任何允许的键。均匀策略把权重平均分配，每个键都是 1/%1 = %2，无论是否被屏蔽：输出的这一行是所有值向量的平均。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Computed in %1: every stored value above (projections, logits, masked logits, weights) is rounded to %1, which keeps %2 significant bits; products and the softmax run in float32 and are rounded once.&lt;/p&gt;</source>
        <translation>&lt;p&gt;以 %1 计算：上面每个存储的值（投影、logits、掩码后的 logits、权重）都舍入到 %1，它保留 %2 个有效二进制位；乘积和 softmax 在 float32 中计算，只舍入一次。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>the mask was computed but never applied: masked_fill&apos;s result was discarded, so every query sees every key</source>
        <translation>掩码算出来了却从未生效：masked_fill 的结果被丢弃，所以每个查询都能看到每个键</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::PitfallPanel</name>
    <message>
        <source>seed %1 · fix: &lt;code&gt;%2&lt;/code&gt;</source>
        <translation>源文档 %1 · 修正：&lt;code&gt;%2&lt;/code&gt;</translation>
    </message>
    <message>
        <source>Make the classic mistakes on purpose and watch what they do to the numbers. Each comes from one of the source documents (seeds 000–004); several can be on at once.</source>
        <translation>故意犯下这些经典错误，看看它们对数值有什么影响。每个错误都出自一篇源文档（源文档 000–004）；可以同时打开多个。</translation>
    </message>
    <message>
        <source>Before / after: show the fixed code next to the mistake</source>
        <translation>前后对照：在错误旁边显示修正后的代码</translation>
    </message>
    <message>
        <source>The figure with the mistakes beside the same figure computed without them; exports show the same pair</source>
        <translation>把含错误的图与不含这些错误时算出的同一幅图并排显示；导出的也是这一对图</translation>
    </message>
    <message>
        <source>Mistakes</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>Batched generation: left or right padding with a causal mask</source>
        <translation>批量生成：因果掩码下的左侧或右侧填充</translation>
    </message>
    <message>
        <source>A batch of prompts padded to one length. Padded on the left, the first rows of the short prompt are padding queries whose only earlier keys are padding: no key is allowed. PyTorch&apos;s softmax returns NaN there, scaled_dot_product_attention since 2.5 zeros, a −1e9 fill uniform weights. Padded on the right, every row keeps its first key.</source>
        <translation>一批提示词被填充到同一长度。左侧填充时，短提示词的前几行是填充查询，它们之前的键也全是填充：没有任何允许的键。在这些行上，PyTorch 的 softmax 返回 NaN，scaled_dot_product_attention 从 2.5 起返回全零，屏蔽值为 −1e9 时则得到均匀权重。右侧填充时，每一行都保留了它的第一个键。</translation>
    </message>
    <message>
        <source>Left padding</source>
        <translation>左侧填充</translation>
    </message>
    <message>
        <source>Right padding</source>
        <translation>右侧填充</translation>
    </message>
    <message>
        <source>How the numbers are computed</source>
        <translation>数值如何计算</translation>
    </message>
    <message>
        <source>Number format</source>
        <translation>数值格式</translation>
    </message>
    <message>
        <source>A row with no allowed key</source>
        <translation>没有允许键的行</translation>
    </message>
    <message>
        <source>The mask is</source>
        <translation>掩码的施加方式</translation>
    </message>
    <message>
        <source>Switch a mistake on to compare it with the fixed code.</source>
        <translation>打开一个错误，即可与修正后的代码对照。</translation>
    </message>
    <message>
        <source>&lt;i&gt;The mask is applied and every row has an allowed key.&lt;/i&gt;</source>
        <translation>&lt;i&gt;掩码已生效，且每一行都有允许的键。&lt;/i&gt;</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::RulesPanel</name>
    <message>
        <source>causal</source>
        <translation>因果</translation>
    </message>
    <message>
        <source>Rules on: none beyond padding — every key is allowed.</source>
        <translation>已启用的规则：除填充外没有 — 每个键都允许。</translation>
    </message>
    <message>
        <source>Rules on: %1</source>
        <translation>已启用的规则：%1</translation>
    </message>
    <message>
        <source>ALiBi</source>
        <translation>ALiBi</translation>
    </message>
    <message>
        <source>soft-cap %1</source>
        <translation>软上限 %1</translation>
    </message>
    <message>
        <source>No score modifier: the logits are Q·Kᵀ/√dₖ.</source>
        <translation>没有得分修正：logits 就是 Q·Kᵀ/√dₖ。</translation>
    </message>
    <message>
        <source>Modifiers on: %1</source>
        <translation>已启用的得分修正：%1</translation>
    </message>
    <message>
        <source>Cannot compute: %1</source>
        <translation>无法计算：%1</translation>
    </message>
    <message>
        <source>Which keys each query may see</source>
        <translation>每个查询可以看到哪些键</translation>
    </message>
    <message>
        <source>top-left (tril, is_causal)</source>
        <translation>左上（tril、is_causal）</translation>
    </message>
    <message>
        <source>bottom-right (Flash, KV cache)</source>
        <translation>右下（FlashAttention、键值缓存）</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>Both alignments side by side, in a window of their own</source>
        <translation>在单独的窗口中并排显示两种对齐方式</translation>
    </message>
    <message>
        <source>Causal alignment</source>
        <translation>因果对齐</translation>
    </message>
    <message>
        <source>Window left</source>
        <translation>窗口左侧</translation>
    </message>
    <message>
        <source>Keys up to this many positions before the query (FlashAttention window_size left)</source>
        <translation>查询之前至多这么多个位置的键（FlashAttention 中 window_size 的左侧值）</translation>
    </message>
    <message>
        <source>Window right</source>
        <translation>窗口右侧</translation>
    </message>
    <message>
        <source>Keys up to this many positions after the query (window_size right)</source>
        <translation>查询之后至多这么多个位置的键（window_size 的右侧值）</translation>
    </message>
    <message>
        <source>unbounded</source>
        <translation>不限</translation>
    </message>
    <message>
        <source>Dilation</source>
        <translation>膨胀</translation>
    </message>
    <message>
        <source>Only every n-th key from the query&apos;s position on (dilated window)</source>
        <translation>只保留与查询位置相距 n 的整数倍的键（膨胀窗口）</translation>
    </message>
    <message>
        <source>Prefix-LM P</source>
        <translation>前缀 LM P</translation>
    </message>
    <message>
        <source>The first P tokens see each other both ways; the rest causally</source>
        <translation>前 P 个词元彼此双向可见；其余词元按因果方式</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关</translation>
    </message>
    <message>
        <source>Global tokens G</source>
        <translation>全局 token G</translation>
    </message>
    <message>
        <source>The first G tokens attend to and are attended by every position</source>
        <translation>前 G 个词元关注所有位置，也被所有位置关注</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Documents and chunks</source>
        <translation>文档与分块</translation>
    </message>
    <message>
        <source>e.g. 3,5</source>
        <translation>例如 3,5</translation>
    </message>
    <message>
        <source>Lengths of packed documents: a query sees keys of its own document only</source>
        <translation>打包序列中各文档的长度：查询只能看到自己所在文档的键</translation>
    </message>
    <message>
        <source>Document lengths</source>
        <translation>文档长度</translation>
    </message>
    <message>
        <source>Chunk size C</source>
        <translation>分块大小 C</translation>
    </message>
    <message>
        <source>Attend only within chunks of C positions</source>
        <translation>只在每 C 个位置组成的块内部关注</translation>
    </message>
    <message>
        <source>Causal within each</source>
        <translation>各段内部因果</translation>
    </message>
    <message>
        <source>The same switch as “Causal” in the parameters</source>
        <translation>与“参数”中的“因果”是同一个开关</translation>
    </message>
    <message>
        <source>Mask file, painted cells, tiles</source>
        <translation>掩码文件、手绘单元格、分块</translation>
    </message>
    <message>
        <source>Open .npy…</source>
        <translation>打开 .npy…</translation>
    </message>
    <message>
        <source>An (Lq, Lk) bool array, True = allowed, AND-ed with the rules</source>
        <translation>形状为 (Lq, Lk) 的布尔数组，True = 允许，与各规则逐元素取“与”</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Mask file</source>
        <translation>掩码文件</translation>
    </message>
    <message>
        <source>Paint cells on the mask view</source>
        <translation>在掩码视图上手绘单元格</translation>
    </message>
    <message>
        <source>A click on a mask cell toggles it; a drag paints every cell it crosses</source>
        <translation>单击掩码单元格可切换其状态；拖动则绘制经过的每个单元格</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清除</translation>
    </message>
    <message>
        <source>Block size B</source>
        <translation>块大小 B</translation>
    </message>
    <message>
        <source>Tile side of the block-sparsity overlay (View menu), 16 to 128</source>
        <translation>块稀疏叠加层中每个块的边长（见“视图”菜单），16 到 128</translation>
    </message>
    <message>
        <source>Score modifiers</source>
        <translation>得分修正</translation>
    </message>
    <message>
        <source>They change logits, not allowance: the mask stays as it is.</source>
        <translation>它们改变的是 logits，而不是哪些键被允许：掩码保持不变。</translation>
    </message>
    <message>
        <source>ALiBi distance bias</source>
        <translation>ALiBi 距离偏置</translation>
    </message>
    <message>
        <source>Each head adds −slope · |i′ − j| to its logits (Press et al. 2022)</source>
        <translation>每个注意力头在自己的 logits 上加上 −斜率 · |i′ − j|（Press 等，2022）</translation>
    </message>
    <message>
        <source>tanh soft-cap</source>
        <translation>tanh 软上限</translation>
    </message>
    <message>
        <source>Scores become c · tanh(s / c): bounded by ±c</source>
        <translation>分数变为 c · tanh(s / c)：被限制在 ±c 之内</translation>
    </message>
    <message>
        <source>“%1” is not a length of at least 1</source>
        <translation>“%1”不是不小于 1 的长度</translation>
    </message>
    <message>
        <source>The lengths sum to %1; they must sum to the key length %2.</source>
        <translation>各长度之和为 %1；它们之和必须等于键长度 %2。</translation>
    </message>
    <message>
        <source>Not used: %1</source>
        <translation>未使用：%1</translation>
    </message>
    <message>
        <source>Allowed mask (bool .npy, True = allowed)</source>
        <translation>允许掩码（布尔 .npy，True = 允许）</translation>
    </message>
    <message>
        <source>NumPy arrays (*.npy)</source>
        <translation>NumPy 数组 (*.npy)</translation>
    </message>
    <message>
        <source>none: every cell passes</source>
        <translation>无：所有单元格都通过</translation>
    </message>
    <message numerus="yes">
        <source>%n cell(s) painted by hand</source>
        <translation>
            <numerusform>手绘了 %n 个单元格</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 queries × %2 keys: where the diagonal starts matters.</source>
        <translation>%1 个查询 × %2 个键：对角线从哪里开始很重要。</translation>
    </message>
    <message>
        <source>Equal lengths: both alignments give the same mask.</source>
        <translation>长度相等：两种对齐方式得到的掩码相同。</translation>
    </message>
    <message>
        <source>Sinks, blocks, spans, trees and grids</source>
        <translation>汇聚、块、区间、树与网格</translation>
    </message>
    <message>
        <source>Attention sinks S</source>
        <translation>注意力汇聚 S</translation>
    </message>
    <message>
        <source>Keys j &lt; S stay visible to every query at or after them, whatever the window says (StreamingLLM; with causal and a window W,0 this is the streaming mask)</source>
        <translation>键 j &lt; S 对位于其后（含自身位置）的每个查询始终可见，不受窗口限制（StreamingLLM；配合因果和窗口 W,0 即为流式掩码）</translation>
    </message>
    <message>
        <source>Block-causal B</source>
        <translation>块因果 B</translation>
    </message>
    <message>
        <source>Both ways inside blocks of B positions, causal across blocks: j is seen when ⌊j/B⌋ ≤ ⌊i′/B⌋ (block diffusion, chunked prefill)</source>
        <translation>在 B 个位置的块内双向可见，块与块之间因果：当 ⌊j/B⌋ ≤ ⌊i′/B⌋ 时可见 j（块扩散、分块预填充）</translation>
    </message>
    <message>
        <source>Bidirectional spans</source>
        <translation>双向区间</translation>
    </message>
    <message>
        <source>Inside each span a:b (a ≤ p &lt; b) queries and keys see each other both ways, on top of the other rules (Gemma 3&apos;s image tokens)</source>
        <translation>在每个区间 a:b（a ≤ p &lt; b）内，查询和键互相双向可见，叠加在其他规则之上（Gemma 3 的图像词元）</translation>
    </message>
    <message>
        <source>Draft tree parents</source>
        <translation>草稿树的父节点</translation>
    </message>
    <message>
        <source>2-D neighbourhood</source>
        <translation>二维邻域</translation>
    </message>
    <message>
        <source>H,W,KH,KW: the H×W tokens form a grid, row by row; each query sees the KH×KW keys around it, the kernel kept inside the grid (NATTEN; odd kernel sizes)</source>
        <translation>H,W,KH,KW：H×W 个词元按行排成网格；每个查询可见其周围的 KH×KW 个键，核始终保持在网格内（NATTEN；核大小为奇数）</translation>
    </message>
    <message>
        <source>Sink logit</source>
        <translation>汇聚 logit</translation>
    </message>
    <message>
        <source>An extra softmax column of this logit, dropped afterwards (gpt-oss): rows sum to less than 1, and a row without an allowed key gets 0 instead of NaN. One value, or one per head</source>
        <translation>softmax 多出一列取此 logit，之后丢弃（gpt-oss）：每行之和小于 1，没有允许键的行得到 0 而不是 NaN。给一个值，或每个头一个值</translation>
    </message>
    <message>
        <source>Key/value heads</source>
        <translation>键/值头数</translation>
    </message>
    <message>
        <source>Grouped-query attention: the query heads share this many key/value heads, in consecutive groups (repeat_interleave); it must divide the heads</source>
        <translation>分组查询注意力：查询头按连续分组（repeat_interleave）共享这么多个键/值头；它必须整除头数</translation>
    </message>
    <message>
        <source>one per head</source>
        <translation>每个头一个</translation>
    </message>
    <message>
        <source>sink logit %1</source>
        <translation>汇聚 logit %1</translation>
    </message>
    <message>
        <source>The last N positions are draft nodes; node k&apos;s parent is p_k (an earlier node, or -1 for the prefix). A node sees the prefix, itself and its ancestors (Medusa, EAGLE)</source>
        <translation>最后 N 个位置是草稿节点；节点 k 的父节点是 p_k（更早的节点，或表示前缀的 -1）。节点可见前缀、自身及其祖先（Medusa、EAGLE）</translation>
    </message>
    <message>
        <source>Soft-cap c</source>
        <translation>软上限 c</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::SessionActions</name>
    <message>
        <source>MaskScope sessions (*.maskscope)</source>
        <translation>MaskScope 会话 (*.maskscope)</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>新建(&amp;N)</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>打开(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a session</source>
        <translation>打开会话</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>Clear list</source>
        <translation>清空列表</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>保存(&amp;S)</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
        <source>%1 (not found)</source>
        <translation>%1（未找到）</translation>
    </message>
    <message>
        <source>Save the session</source>
        <translation>保存会话</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>未保存的更改</translation>
    </message>
    <message>
        <source>The session %1 has changes that are not saved.</source>
        <translation>会话 %1 有尚未保存的更改。</translation>
    </message>
    <message>
        <source>Save them before going on?</source>
        <translation>继续之前要保存吗？</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>未命名</translation>
    </message>
    <message>
        <source>%1[*] — MaskScope</source>
        <translation>%1[*] — MaskScope</translation>
    </message>
    <message>
        <source>MaskScope session</source>
        <translation>MaskScope 会话</translation>
    </message>
</context>
<context>
    <name>maskscope::ui::ViewSelector</name>
    <message>
        <source>Mask</source>
        <translation>掩码</translation>
    </message>
    <message>
        <source>Logits</source>
        <translation>Logits</translation>
    </message>
    <message>
        <source>Masked logits</source>
        <translation>掩码后的 logits</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>权重</translation>
    </message>
    <message>
        <source>Which keys each query may see (and the value added to blocked ones)</source>
        <translation>每个查询可以看到哪些键（以及加到被屏蔽键上的值）</translation>
    </message>
    <message>
        <source>Logits plus the mask: blocked keys become −∞ (or the fill)</source>
        <translation>logits 加上掩码：被屏蔽的键变为 −∞（或屏蔽值）</translation>
    </message>
    <message>
        <source>Softmax of the masked logits: how much each query attends to each key</source>
        <translation>对掩码后的 logits 逐行 softmax：每个查询对每个键的关注程度</translation>
    </message>
    <message>
        <source>One head</source>
        <translation>单个头</translation>
    </message>
    <message>
        <source>All heads</source>
        <translation>所有头</translation>
    </message>
    <message>
        <source>Mean of heads</source>
        <translation>头的平均</translation>
    </message>
    <message>
        <source>Pipeline</source>
        <translation>流程</translation>
    </message>
    <message>
        <source>One head, large</source>
        <translation>单个注意力头，大图</translation>
    </message>
    <message>
        <source>Every head as a small multiple</source>
        <translation>每个注意力头各画一张小图</translation>
    </message>
    <message>
        <source>The weights averaged over heads (PyTorch&apos;s default need_weights output)</source>
        <translation>各注意力头权重的平均（PyTorch 中 need_weights 的默认输出）</translation>
    </message>
    <message>
        <source>Mask → logits → masked logits → weights of one head, side by side</source>
        <translation>一个注意力头的 掩码 → logits → 掩码后的 logits → 权重，并排显示</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>注意力头</translation>
    </message>
    <message>
        <source>Sentence</source>
        <translation>句子</translation>
    </message>
    <message>
        <source>Which batch item (sentence) is shown</source>
        <translation>显示批次中的哪一项（句子）</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>注意力头</translation>
    </message>
    <message>
        <source>Raw scores q·k / √d_k, before masking</source>
        <translation>原始分数 q·k / √d_k（logits，对数几率），尚未加掩码</translation>
    </message>
</context>
</TS>
